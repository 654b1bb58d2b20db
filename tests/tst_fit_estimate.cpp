// The fit estimate for the four released shapes at 8K context. Expected
// numbers come from the spec, not from the code: KV bytes from §2.7's
// elements per token (K+V, f16, sliding layers at most their window), the PLE
// table from its shape, BF16 totals from the published file sizes (§6, within
// 3%), and verdicts for three typical machines.
#include <QtTest>

#include "model/variants.h"
#include "runtime/fit_estimate.h"

using namespace facet;

namespace {

constexpr qulonglong GiB = 1ull << 30;
constexpr int kCtx = 8192;

ModelDesc variant(const char* name) {
    ModelDesc d;
    if (!variantByName(name, d)) qFatal("no variant %s", name);
    return d;
}

}  // namespace

class TstFitEstimate : public QObject {
    Q_OBJECT
private slots:
    void kvCacheAt8K_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qulonglong>("bytes");
        // 2 bytes x (full layers x elems x 8192 + sliding layers x elems x window)
        QTest::newRow("e2b") << QString("e2b") << qulonglong(2ull * (3 * 1024ull * kCtx + 12 * 512ull * 512));
        QTest::newRow("e4b") << QString("e4b") << qulonglong(2ull * (4 * 2048ull * kCtx + 20 * 1024ull * 512));
        QTest::newRow("26b") << QString("moe") << qulonglong(2ull * (5 * 2048ull * kCtx + 25 * 4096ull * 1024));
        QTest::newRow("31b") << QString("31b") << qulonglong(2ull * (10 * 4096ull * kCtx + 50 * 8192ull * 1024));
    }
    void kvCacheAt8K() {
        QFETCH(QString, name);
        QFETCH(qulonglong, bytes);
        const MemoryNeeds n = estimateMemory(variant(name.toUtf8().constData()), GgmlType::Q4_0, kCtx);
        QCOMPARE(qulonglong(n.kvCache), bytes);
    }

    void bf16SizesMatchPublishedFiles_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<double>("publishedBytes");
        QTest::newRow("e2b") << QString("e2b") << 9.31e9;
        QTest::newRow("e4b") << QString("e4b") << 15.1e9;
        QTest::newRow("26b") << QString("moe") << 50.5e9;
        QTest::newRow("31b") << QString("31b") << 61.4e9;
    }
    void bf16SizesMatchPublishedFiles() {
        QFETCH(QString, name);
        QFETCH(double, publishedBytes);
        const MemoryNeeds n = estimateMemory(variant(name.toUtf8().constData()), GgmlType::BF16, kCtx);
        const double weights = double(n.deviceWeights + n.hostWeights);
        QVERIFY2(std::abs(weights / publishedBytes - 1.0) < 0.03,
                 qPrintable(QString("%1: %2 bytes vs %3 published").arg(name).arg(weights).arg(publishedBytes)));
        // Q4_0 stores 32 weights in 18 bytes: the weights shrink to about 18/32.
        const MemoryNeeds q = estimateMemory(variant(name.toUtf8().constData()), GgmlType::Q4_0, kCtx);
        const double ratio = double(q.deviceWeights + q.hostWeights) / weights;
        QVERIFY2(ratio > 0.27 && ratio < 0.30, qPrintable(QString::number(ratio)));
        QVERIFY(q.activations > 0 && q.activations < n.deviceWeights / 4);
    }

    void pleTableStaysOnTheHost() {
        // 262144 tokens x 35 layers x 256 values, BF16 (spec §6: 4.38 GiB).
        const MemoryNeeds e2b = estimateMemory(variant("e2b"), GgmlType::BF16, kCtx);
        QCOMPARE(qulonglong(e2b.hostWeights), qulonglong(262144ull * 35 * 256 * 2));
        QCOMPARE(qulonglong(estimateMemory(variant("31b"), GgmlType::BF16, kCtx).hostWeights), 0ull);
    }

    void verdicts_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("type");
        QTest::addColumn<qulonglong>("ram");
        QTest::addColumn<qulonglong>("vram");
        QTest::addColumn<bool>("unified");
        QTest::addColumn<int>("fit");
        const int q4 = int(GgmlType::Q4_0), bf16 = int(GgmlType::BF16);
        const int fits = int(Fit::Fits), slow = int(Fit::MayBeSlow), wont = int(Fit::WontFit);
        // A desktop with a 24 GiB GPU and 64 GiB of RAM.
        QTest::newRow("24G gpu: e2b q4_0") << QString("e2b") << q4 << 64 * GiB << 24 * GiB << false << fits;
        QTest::newRow("24G gpu: 31b q4_0") << QString("31b") << q4 << 64 * GiB << 24 * GiB << false << fits;
        QTest::newRow("24G gpu: 31b bf16") << QString("31b") << bf16 << 64 * GiB << 24 * GiB << false << wont;
        QTest::newRow("24G gpu: 26b bf16") << QString("moe") << bf16 << 64 * GiB << 24 * GiB << false << slow;
        // A laptop with an 8 GiB GPU and 32 GiB of RAM.
        QTest::newRow("8G gpu: e4b q4_0") << QString("e4b") << q4 << 32 * GiB << 8 * GiB << false << fits;
        QTest::newRow("8G gpu: 26b q4_0") << QString("moe") << q4 << 32 * GiB << 8 * GiB << false << slow;
        QTest::newRow("8G gpu: 31b q4_0") << QString("31b") << q4 << 32 * GiB << 8 * GiB << false << slow;
        QTest::newRow("8G gpu: e4b bf16") << QString("e4b") << bf16 << 32 * GiB << 8 * GiB << false << slow;
        // 16 GiB of RAM, no GPU; and the same shared with an integrated GPU.
        QTest::newRow("cpu: e2b q4_0") << QString("e2b") << q4 << 16 * GiB << 0ull << false << slow;
        QTest::newRow("cpu: 31b q4_0") << QString("31b") << q4 << 16 * GiB << 0ull << false << wont;
        QTest::newRow("igpu: e2b q4_0") << QString("e2b") << q4 << 16 * GiB << 16 * GiB << true << fits;
        QTest::newRow("igpu: e4b bf16") << QString("e4b") << bf16 << 16 * GiB << 16 * GiB << true << wont;
    }
    void verdicts() {
        QFETCH(QString, name);
        QFETCH(int, type);
        QFETCH(qulonglong, ram);
        QFETCH(qulonglong, vram);
        QFETCH(bool, unified);
        QFETCH(int, fit);
        const MemoryNeeds n = estimateMemory(variant(name.toUtf8().constData()), GgmlType(type), kCtx);
        const FitEstimate e = estimateFit(n, MachineMemory{ram, vram, unified});
        QVERIFY2(int(e.fit) == fit, qPrintable(QString("%1: %2").arg(fitName(e.fit), QString::fromStdString(e.reason))));
        QVERIFY(e.reason.find("GiB") != std::string::npos);
    }
};

QTEST_GUILESS_MAIN(TstFitEstimate)
#include "tst_fit_estimate.moc"
