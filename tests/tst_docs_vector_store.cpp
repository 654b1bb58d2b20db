// The in-RAM dense scan against a plain brute-force computation in double:
// stored vectors and queries are int8 codes times powers of two, so int8
// quantization is lossless and every score is exact in float and double
// alike — ids, order and scores must match exactly, ties by ascending id.
// Then staleness: a document added or removed (by this connection or
// another) is seen by the next scan, and an unchanged index is not reloaded.
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

#include "doc_index.h"
#include "vector_store.h"

using namespace facet::docs;

namespace {

const QString kModel = QStringLiteral("test-model:1:0");

using Ranked = std::vector<std::pair<qint64, double>>;

// Codes in [-127, 127] with one ±127, so the int8 scale is exactly `scale`.
std::vector<float> exactVector(std::mt19937& rng, int dims, float scale) {
    std::uniform_int_distribution<int> code(-127, 127);
    std::vector<float> v(static_cast<size_t>(dims));
    for (float& x : v) x = float(code(rng)) * scale;
    v[size_t(rng() % unsigned(dims))] = (rng() & 1 ? 127.0f : -127.0f) * scale;
    return v;
}

// A document with `n` chunks; returns their ids in order.
std::vector<qint64> addDocument(DocIndex& index, const QString& path, int n) {
    std::vector<Chunk> chunks;
    for (int i = 0; i < n; ++i) chunks.push_back(Chunk{QStringLiteral("%1 chunk %2").arg(path).arg(i), 0, {}, {}, 3});
    if (!index.replaceDocument(path, StoredDocument{0, 1, 1, path}, 0, chunks).ok()) return {};
    QSqlQuery q(index.database());
    q.prepare("SELECT c.id FROM chunks c JOIN documents d ON d.id = c.document_id WHERE d.path = ? ORDER BY c.ordinal");
    q.addBindValue(path);
    std::vector<qint64> ids;
    if (q.exec())
        while (q.next()) ids.push_back(q.value(0).toLongLong());
    return ids;
}

// The reference: every row's dot product in double, fully sorted.
Ranked bruteForce(const std::vector<std::pair<qint64, std::vector<float>>>& rows, const std::vector<float>& query, int k) {
    Ranked all;
    for (const auto& [id, v] : rows) {
        double dot = 0;
        for (size_t i = 0; i < v.size(); ++i) dot += double(v[i]) * double(query[i]);
        all.push_back({id, dot});
    }
    std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    all.resize(std::min(all.size(), size_t(std::max(k, 0))));
    return all;
}

QString firstMismatch(const Ranked& expected, const Ranked& actual) {
    if (expected.size() != actual.size()) return QStringLiteral("size %1, expected %2").arg(actual.size()).arg(expected.size());
    for (size_t i = 0; i < expected.size(); ++i)
        if (expected[i] != actual[i])
            return QStringLiteral("rank %1: expected id %2 score %3, got id %4 score %5")
                .arg(i).arg(expected[i].first).arg(expected[i].second, 0, 'g', 17).arg(actual[i].first).arg(actual[i].second, 0, 'g', 17);
    return {};
}

}  // namespace

class TstDocsVectorStore : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

    std::unique_ptr<DocIndex> openIndex(const QString& name) {
        auto index = DocIndex::open(dir_.filePath(name));
        return index.ok() ? std::move(index.value()) : nullptr;
    }

private slots:
    void matchesBruteForce_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("dims");
        QTest::addColumn<int>("k");
        QTest::addColumn<int>("threads");
        QTest::newRow("one thread") << 600 << 96 << 10 << 1;
        QTest::newRow("two threads, odd rows") << 3001 << 64 << 25 << 2;
        QTest::newRow("k above row count") << 7 << 16 << 20 << 1;
        QTest::newRow("k above row count, two threads") << 7 << 16 << 20 << 2;
        QTest::newRow("k = 1") << 500 << 33 << 1 << 2;
        QTest::newRow("768 dims, one thread") << 11000 << 768 << 50 << 1;
        QTest::newRow("768 dims, two threads") << 11000 << 768 << 50 << 2;
        QTest::newRow("768 dims, threads by size") << 11000 << 768 << 50 << 0;
    }
    void matchesBruteForce() {
        QFETCH(int, rows);
        QFETCH(int, dims);
        QFETCH(int, k);
        QFETCH(int, threads);
        auto index = openIndex(QStringLiteral("brute-%1-%2-%3.sqlite").arg(rows).arg(dims).arg(threads));
        QVERIFY(index);
        const std::vector<qint64> ids = addDocument(*index, "/doc", rows);
        QCOMPARE(int(ids.size()), rows);
        std::mt19937 rng(uint32_t(rows * 31 + dims));
        std::vector<std::pair<qint64, std::vector<float>>> stored;
        for (int r = 0; r < rows; ++r) {
            // Every 7th row repeats the one before it: equal scores, ordered by id.
            if (r % 7 == 6) stored.push_back({ids[size_t(r)], stored.back().second});
            else stored.push_back({ids[size_t(r)], exactVector(rng, dims, std::ldexp(1.0f, -5 - int(rng() % 5)))});
        }
        QVERIFY(index->storeEmbeddings(kModel, stored).ok());
        // Another model's vectors of the same size, large enough to win, must never be scanned.
        std::vector<std::pair<qint64, std::vector<float>>> foreign;
        for (qint64 id : addDocument(*index, "/other-model", 8)) foreign.push_back({id, exactVector(rng, dims, 0.5f)});
        QCOMPARE(foreign.size(), size_t(8));
        QVERIFY(index->storeEmbeddings(QStringLiteral("other-model"), foreign).ok());

        VectorStore store;
        QVERIFY(store.refresh(index->database(), kModel, dims).ok());
        QCOMPARE(store.size(), size_t(rows));
        for (int trial = 0; trial < 5; ++trial) {
            const std::vector<float> query = exactVector(rng, dims, std::ldexp(1.0f, -7));
            const Ranked expected = bruteForce(stored, query, k);
            const Ranked actual = store.topK(query, k, threads);
            QVERIFY2(firstMismatch(expected, actual).isEmpty(), qPrintable(firstMismatch(expected, actual)));
        }
    }

    // Real-valued vectors: int8 rounding moves scores a little, so each score
    // is checked against its float value within the quantization bound and
    // the k-th score against the true k-th.
    void realVectorsWithinQuantizationError() {
        constexpr int kRows = 2000, kDims = 256, kK = 20;
        constexpr double kTolerance = 0.02;  // 256 terms, each off by ≤ (sq + sv)/2 · |x| for unit vectors
        auto index = openIndex(QStringLiteral("real.sqlite"));
        QVERIFY(index);
        const std::vector<qint64> ids = addDocument(*index, "/real", kRows);
        QCOMPARE(int(ids.size()), kRows);
        std::mt19937 rng(11);
        std::normal_distribution<float> normal;
        auto unit = [&] {
            std::vector<float> v(kDims);
            double n = 0;
            for (float& x : v) {
                x = normal(rng);
                n += double(x) * x;
            }
            for (float& x : v) x = float(x / std::sqrt(n));
            return v;
        };
        std::vector<std::pair<qint64, std::vector<float>>> stored;
        for (qint64 id : ids) stored.push_back({id, unit()});
        QVERIFY(index->storeEmbeddings(kModel, stored).ok());
        const std::vector<float> query = unit();
        const Ranked all = bruteForce(stored, query, kRows);
        std::map<qint64, double> exact(all.begin(), all.end());
        auto found = index->semanticScan(query, kModel, kK);
        QVERIFY(found.ok());
        QCOMPARE(int(found->size()), kK);
        for (size_t i = 0; i < found->size(); ++i) {
            const auto& [id, score] = (*found)[i];
            QVERIFY2(std::fabs(score - exact.at(id)) < kTolerance, qPrintable(QStringLiteral("id %1: %2 vs %3").arg(id).arg(score).arg(exact.at(id))));
            if (i > 0) QVERIFY((*found)[i - 1].second >= score);
        }
        QVERIFY(found->back().second >= all[kK - 1].second - 2 * kTolerance);
    }

    void seesDocumentsAddedAndRemoved() {
        constexpr int kDims = 32;
        auto index = openIndex(QStringLiteral("fresh.sqlite"));
        QVERIFY(index);
        std::mt19937 rng(5);
        const std::vector<qint64> a = addDocument(*index, "/a", 20);
        QCOMPARE(a.size(), size_t(20));
        std::vector<std::pair<qint64, std::vector<float>>> rows;
        for (qint64 id : a) rows.push_back({id, exactVector(rng, kDims, 1.0f / 64)});
        QVERIFY(index->storeEmbeddings(kModel, rows).ok());

        const std::vector<float> query = exactVector(rng, kDims, 1.0f / 128);
        VectorStore store;
        QVERIFY(store.refresh(index->database(), kModel, kDims).ok());
        QVERIFY(store.refresh(index->database(), kModel, kDims).ok());
        QCOMPARE(store.loads(), 1);  // nothing changed: no second read
        QCOMPARE(store.size(), size_t(20));

        // A new document whose chunk points the query's way must come first.
        const std::vector<qint64> b = addDocument(*index, "/b", 1);
        QCOMPARE(b.size(), size_t(1));
        std::vector<float> twin = query;
        for (float& x : twin) x *= 4;
        QVERIFY(index->storeEmbeddings(kModel, {{b[0], twin}}).ok());
        QVERIFY(store.refresh(index->database(), kModel, kDims).ok());
        QCOMPARE(store.loads(), 2);
        QCOMPARE(store.size(), size_t(21));
        QCOMPARE(store.topK(query, 1).at(0).first, b[0]);
        auto viaIndex = index->semanticScan(query, kModel, 1);
        QVERIFY(viaIndex.ok());
        QCOMPARE(viaIndex->at(0).first, b[0]);

        // Removed: its vector goes with it (ON DELETE CASCADE) and from the scan.
        QVERIFY(index->removePath("/b").ok());
        QVERIFY(store.refresh(index->database(), kModel, kDims).ok());
        QCOMPARE(store.size(), size_t(20));
        for (const auto& [id, score] : store.topK(query, 50)) QVERIFY(id != b[0]);
        viaIndex = index->semanticScan(query, kModel, 50);
        QVERIFY(viaIndex.ok());
        QCOMPARE(viaIndex->size(), size_t(20));
        for (const auto& [id, score] : viaIndex.value()) QVERIFY(id != b[0]);

        // A write by another connection (another DocIndex on the same file).
        {
            auto other = DocIndex::open(dir_.filePath("fresh.sqlite"));
            QVERIFY(other.ok());
            const std::vector<qint64> c = addDocument(*other.value(), "/c", 1);
            QCOMPARE(c.size(), size_t(1));
            QVERIFY(other.value()->storeEmbeddings(kModel, {{c[0], twin}}).ok());
            QVERIFY(store.refresh(index->database(), kModel, kDims).ok());
            QCOMPARE(store.size(), size_t(21));
            QCOMPARE(store.topK(query, 1).at(0).first, c[0]);
        }

        // Another model or size is another matrix.
        QVERIFY(store.refresh(index->database(), QStringLiteral("other-model"), kDims).ok());
        QCOMPARE(store.size(), size_t(0));
        QVERIFY(store.topK(query, 5).empty());
        QVERIFY(store.refresh(index->database(), kModel, kDims + 1).ok());
        QCOMPARE(store.size(), size_t(0));
    }

    void emptyOrMismatchedQueries() {
        auto index = openIndex(QStringLiteral("empty.sqlite"));
        QVERIFY(index);
        VectorStore store;
        QVERIFY(store.refresh(index->database(), kModel, 8).ok());
        QCOMPARE(store.size(), size_t(0));
        QVERIFY(store.topK(std::vector<float>(8, 1.0f), 5).empty());
        const std::vector<qint64> ids = addDocument(*index, "/d", 2);
        QCOMPARE(ids.size(), size_t(2));
        QVERIFY(index->storeEmbeddings(kModel, {{ids[0], std::vector<float>(8, 0.5f)}, {ids[1], std::vector<float>(8, -0.5f)}}).ok());
        QVERIFY(store.refresh(index->database(), kModel, 8).ok());
        QCOMPARE(store.size(), size_t(2));
        QVERIFY(store.topK(std::vector<float>(8, 1.0f), 0).empty());
        QVERIFY(store.topK(std::vector<float>(7, 1.0f), 5).empty());  // wrong size: nothing, never a misread
        const Ranked both = store.topK(std::vector<float>(8, 1.0f), 5);
        QCOMPARE(both.size(), size_t(2));
        QCOMPARE(both[0].first, ids[0]);
        QVERIFY(std::fabs(both[0].second - 4.0) < 1e-5);  // 8 · 0.5 · 1
        QVERIFY(std::fabs(both[1].second + 4.0) < 1e-5);
    }
};

QTEST_GUILESS_MAIN(TstDocsVectorStore)
#include "tst_docs_vector_store.moc"
