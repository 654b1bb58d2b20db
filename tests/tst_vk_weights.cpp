// Model weights in device memory: every tensor but the PLE table uploaded
// byte for byte, split into whole-row pieces no larger than a binding, and a
// clear error naming needed and available bytes when they do not fit.
#include <QtTest>
#include <cstring>

#include "model/model.h"
#include "support/test_paths.h"
#include "support/vk_fixture.h"
#include "vulkan/vk_upload.h"
#include "vulkan/vk_weights.h"

using namespace facet;
using namespace facet::test;

class TstVkWeights : public QObject {
    Q_OBJECT
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;
    std::unique_ptr<Model> model_;

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer");
        auto d = vk::Device::create(*instance_, plainOptions());
        QVERIFY2(d.ok(), d.ok() ? "" : d.message().c_str());
        device_ = std::move(d).value();
        auto m = Model::open(dataFile("e2b-like.q8_0.gguf").toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.message().c_str());
        model_ = std::move(m).value();
    }
    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }
    void cleanupTestCase() {
        device_.reset();
        FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
    }

    void uploadsEveryTensorInRowPieces_data() {
        QTest::addColumn<quint64>("maxPieceBytes");
        QTest::newRow("device limits") << quint64(0);
        QTest::newRow("forced 4 KiB pieces") << quint64(4096);
    }

    void uploadsEveryTensorInRowPieces() {
        QFETCH(quint64, maxPieceBytes);
        vk::WeightUploadOptions o;
        o.maxPieceBytes = maxPieceBytes;
        uint64_t lastDone = 0, total = 0;
        o.progress = [&](uint64_t done, uint64_t t) {
            QVERIFY(done >= lastDone);
            lastDone = done;
            total = t;
        };
        auto w = vk::DeviceWeights::upload(*device_, *model_, o);
        QVERIFY2(w.ok(), w.ok() ? "" : w.message().c_str());
        QCOMPARE(lastDone, total);
        QCOMPARE(w.value()->deviceBytes(), vk::deviceWeightBytes(*model_));
        QCOMPARE(vk::deviceWeightBytes(*model_), model_->weightBytes() - model_->pleBytes());
        const TensorView* ple = model_->weights().global[TensorRole::PleTokenEmbd];
        QVERIFY(ple && !w.value()->find(ple));  // stays in host memory

        auto up = vk::Uploader::create(*device_, vk::UploaderOptions{});
        QVERIFY(up.ok());
        int tensors = 0;
        auto check = [&](const TensorView* t) {
            if (!t || t == ple) return;
            const vk::DeviceTensor* dt = w.value()->find(t);
            QVERIFY2(dt, t->name.c_str());
            int64_t next = 0;
            for (const vk::TensorPiece& p : dt->pieces) {
                QCOMPARE(p.rowBegin, next);
                next = p.rowEnd;
                const uint64_t bytes = uint64_t(p.rowEnd - p.rowBegin) * t->bytesPerRow();
                if (maxPieceBytes) QVERIFY(bytes <= maxPieceBytes);
                std::vector<uint8_t> got(bytes);
                QVERIFY(up.value()->download(p.slice, got.data(), bytes).ok());
                QVERIFY2(std::memcmp(got.data(), t->row(p.rowBegin), bytes) == 0, t->name.c_str());
            }
            QCOMPARE(next, t->rows());
            ++tensors;
        };
        for (const TensorView* t : model_->weights().global.t) check(t);
        for (const auto& l : model_->weights().layers)
            for (const TensorView* t : l.t) check(t);
        QVERIFY(tensors > 100);
        if (maxPieceBytes) QVERIFY(w.value()->pieceCount() > size_t(tensors));  // really split
    }

    void tooLittleMemoryIsAClearError() {
        vk::WeightUploadOptions o;
        o.budgetBytes = 100000;  // a user cap well below the model
        auto w = vk::DeviceWeights::upload(*device_, *model_, o);
        QVERIFY(!w.ok());
        const QString msg = QString::fromStdString(w.message());
        QVERIFY2(msg.contains("e2b-like.q8_0.gguf") && msg.contains("need") && msg.contains("available"), qPrintable(msg));
    }
};

QTEST_GUILESS_MAIN(TstVkWeights)
#include "tst_vk_weights.moc"
