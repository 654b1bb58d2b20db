// Model weights in device memory: every tensor but the PLE table uploaded
// byte for byte, split into whole-row pieces no larger than a binding; on CPU
// devices Q4_0/Q8_0/Q4_K/Q5_K/Q6_K matrices row-interleaved, every byte where the layout
// says; and a clear error naming needed and available bytes when they do not fit.
#include <QtTest>
#include <cstring>

#include "model/model.h"
#include "support/model_factory.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/row_interleave.h"
#include "support/test_paths.h"
#include "support/vk_fixture.h"
#include "vulkan/vk_upload.h"
#include "vulkan/vk_weights.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

class TstVkWeights : public QObject {
    Q_OBJECT
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;
    std::unique_ptr<Model> model_;
    QTemporaryDir tmp_;

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
        o.tileRows = 0;  // rows as in the file (interleaving: interleavesQuantizedMatricesForTheLanesGemv)
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

    // On a CPU device Q4_0/Q8_0/Q4_K/Q5_K/Q6_K matrices of whole 256-value rows are stored
    // row-interleaved in pieces of whole tiles; everything else plainly.
    void interleavesQuantizedMatricesForTheLanesGemv_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("tileRows");  // -1: the device's choice
        QTest::addColumn<quint64>("maxPieceBytes");
        QTest::newRow("Q4_0, the device's tiles") << GgmlType::Q4_0 << -1 << quint64(0);
        QTest::newRow("Q4_K, tiles of 8 in 16 KiB pieces") << GgmlType::Q4_K << 8 << quint64(16384);
        QTest::newRow("Q8_0, the device's tiles") << GgmlType::Q8_0 << -1 << quint64(0);
        QTest::newRow("Q6_K (padded blocks), tiles of 8 in 16 KiB pieces") << GgmlType::Q6_K << 8 << quint64(16384);
        QTest::newRow("Q4_0, tiles off") << GgmlType::Q4_0 << 0 << quint64(0);
    }

    void interleavesQuantizedMatricesForTheLanesGemv() {
        QFETCH(GgmlType, type);
        QFETCH(int, tileRows);
        QFETCH(quint64, maxPieceBytes);
        ModelDesc d;
        QVERIFY(variantByName("e2b-like", d));
        d.hidden = 256;  // rows of whole 256-value blocks
        for (LayerDesc& l : d.layers) l.ffnWidth = 512;
        MakeOptions mo;
        mo.weightType = type;
        QString err;
        const QString path = writeModel(tmp_, QString("tiled-%1.gguf").arg(int(type)), d, mo, false, err);
        QVERIFY2(!path.isEmpty(), qPrintable(err));
        auto m = Model::open(path.toStdString());
        QVERIFY2(m.ok(), m.ok() ? "" : m.message().c_str());
        const Model& model = *m.value();

        const uint32_t want = tileRows < 0 ? vk::matVecTileRows(*device_) : uint32_t(tileRows);
        if (device_->caps().type == vk::DeviceType::Cpu && tileRows < 0) QVERIFY(want > 0);  // lavapipe interleaves
        vk::WeightUploadOptions o;
        o.tileRows = tileRows;
        o.maxPieceBytes = maxPieceBytes;
        auto w = vk::DeviceWeights::upload(*device_, model, o);
        QVERIFY2(w.ok(), w.ok() ? "" : w.message().c_str());
        auto up = vk::Uploader::create(*device_, vk::UploaderOptions{});
        QVERIFY(up.ok());
        int tiledTensors = 0, plainTensors = 0;
        auto check = [&](const TensorView* t) {
            const vk::DeviceTensor* dt = t ? w.value()->find(t) : nullptr;
            if (!dt) return;
            const bool eligible = want && vk::matVecCanInterleave(t->type, uint64_t(t->ne[0])) && t->ne[2] == 1;
            (eligible ? tiledTensors : plainTensors)++;
            const uint64_t rb = t->bytesPerRow();
            for (size_t i = 0; i < dt->pieces.size(); ++i) {
                const vk::TensorPiece& p = dt->pieces[i];
                QCOMPARE(p.tileRows, eligible ? want : 0u);
                if (eligible && i + 1 < dt->pieces.size()) QCOMPARE((p.rowEnd - p.rowBegin) % want, int64_t(0));
                const vk::RowInterleave l =
                    vk::matVecTileLayout(t->type, uint64_t(t->ne[0]), uint64_t(p.rowEnd - p.rowBegin), p.tileRows);
                std::vector<uint8_t> got(l.imageBytes());
                QVERIFY(p.slice.size >= got.size());
                QVERIFY(up.value()->download(p.slice, got.data(), got.size()).ok());
                // Byte b of a file row is byte b of its stored row, or with
                // padded blocks (Q6_K) byte b % src of block b / src.
                for (int64_t r = p.rowBegin; r < p.rowEnd; ++r)
                    for (uint64_t b = 0; b < rb; ++b) {
                        const uint64_t stored = l.padded() ? b / l.srcBlockBytes * l.blockBytes + b % l.srcBlockBytes : b;
                        if (got[l.imageOffset(uint64_t(r - p.rowBegin), stored)] != t->row(r)[b])
                            QFAIL(qPrintable(QString("%1 row %2 byte %3").arg(t->name.c_str()).arg(r).arg(b)));
                    }
            }
        };
        for (const TensorView* t : model.weights().global.t) check(t);
        for (const auto& l : model.weights().layers)
            for (const TensorView* t : l.t) check(t);
        QVERIFY(plainTensors > 0);  // norms at least
        QCOMPARE(tiledTensors > 0, want > 0);
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
