// Embeddings in the document index, on the small random EmbeddingGemma-like
// reference model (synthetic vocabulary: this checks mechanics, not quality):
// int8 blobs, reciprocal-rank fusion, only new chunks embedded after a
// change, a model switch dropping old vectors, semantic and hybrid search.
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <map>
#include <random>

#include "doc_embedder.h"
#include "doc_search.h"
#include "indexer.h"
#include "rank_fusion.h"
#include "support/docs_fixtures.h"
#include "support/test_paths.h"
#include "vector_codec.h"

using namespace facet::docs;
namespace ft = facet::test;

namespace {

constexpr float kInt8DotTolerance = 0.01f;  // 256 terms, each off by ≤ scale/2 ≈ 0.002 · |q_i|

std::map<qint64, QByteArray> storedVectors(DocIndex& index) {
    std::map<qint64, QByteArray> out;
    QSqlQuery q(index.database());
    if (q.exec("SELECT chunk_id, vec FROM embeddings"))
        while (q.next()) out[q.value(0).toLongLong()] = q.value(1).toByteArray();
    return out;
}

QString lines(const QString& tag, int n) {
    QStringList out;
    for (int i = 0; i < n; ++i) out << QStringLiteral("%1 fact %2 is written here as a full sentence.").arg(tag).arg(i);
    return out.join(QStringLiteral("\n\n"));
}

}  // namespace

class TstDocsEmbed : public QObject {
    Q_OBJECT
    std::unique_ptr<DocEmbedder> embedder_;

private slots:
    void initTestCase() {
        auto e = DocEmbedder::open(ft::dataFile("embedding/embgemma-like.s11.gguf"));
        QVERIFY2(e.ok(), e.ok() ? "" : e.message().c_str());
        embedder_ = std::move(e.value());
        QVERIFY(embedder_->modelId().startsWith("embgemma-like.s11.gguf:1696992:"));
        QVERIFY(embedder_->dims() > 0);
    }

    // The document embedder on Vulkan (lavapipe here) gives the CPU
    // reference's vectors for the same prompts: 1e-5 per value, the bound
    // tst_vk_embedding uses for EmbeddingVulkan itself.
    void vulkanBackendMatchesTheCpu() {
        auto gpu = DocEmbedder::open(ft::dataFile("embedding/embgemma-like.s11.gguf"), EmbedBackend::Vulkan);
        QVERIFY2(gpu.ok(), gpu.ok() ? "" : gpu.message().c_str());
        QVERIFY(gpu.value()->deviceName() != "CPU");
        QCOMPARE(gpu.value()->modelId(), embedder_->modelId());
        const std::vector<QString> texts = {"The quick brown fox.", "A second, longer chunk of text about indexing documents on a GPU.", "x"};
        auto a = embedder_->embedChunks("notes", texts);
        auto b = gpu.value()->embedChunks("notes", texts);
        QVERIFY(a.ok() && b.ok());
        QCOMPARE(a->size(), b->size());
        for (size_t i = 0; i < a->size(); ++i) {
            QCOMPARE((*a)[i].size(), (*b)[i].size());
            for (size_t j = 0; j < (*a)[i].size(); ++j)
                QVERIFY2(std::abs((*a)[i][j] - (*b)[i][j]) <= 1e-5f, qPrintable(QString("text %1 value %2").arg(i).arg(j)));
        }
        // Auto keeps a CPU implementation of Vulkan off: the reference is as fast there.
        auto autoPick = DocEmbedder::open(ft::dataFile("embedding/embgemma-like.s11.gguf"), EmbedBackend::Auto);
        QVERIFY(autoPick.ok());
        QCOMPARE(autoPick.value()->deviceName(), QString("CPU"));
    }

    void int8RoundTrip() {
        std::mt19937 rng(7);
        std::normal_distribution<float> n;
        std::vector<float> v(256), q(256);
        float nv = 0, nq = 0;
        for (int i = 0; i < 256; ++i) {
            v[i] = n(rng);
            q[i] = n(rng);
            nv += v[i] * v[i];
            nq += q[i] * q[i];
        }
        float exact = 0;
        for (int i = 0; i < 256; ++i) {
            v[i] /= std::sqrt(nv);
            q[i] /= std::sqrt(nq);
        }
        for (int i = 0; i < 256; ++i) exact += v[i] * q[i];
        const Int8Vector code = quantizeInt8(v);
        QCOMPARE(code.codes.size(), 256);
        const std::vector<float> back = dequantizeInt8(code);
        for (int i = 0; i < 256; ++i) QVERIFY(std::fabs(back[i] - v[i]) <= code.scale * 0.5f + 1e-7f);
        QVERIFY(std::fabs(dotInt8(q, code.codes.constData(), code.scale) - exact) < kInt8DotTolerance);
        QVERIFY(std::fabs(dotInt8(quantizeInt8(q), code.codes.constData(), code.scale) - exact) < 2 * kInt8DotTolerance);
        QCOMPARE(quantizeInt8(std::vector<float>(4, 0.0f)).scale, 0.0f);  // all zero stays finite
    }

    void fusesByReciprocalRank() {
        const auto fused = reciprocalRankFusion({{1, 2, 3}, {3, 1, 4}});
        QCOMPARE(int(fused.size()), 4);
        QCOMPARE(fused[0].first, 1);  // 1/61 + 1/62
        QCOMPARE(fused[1].first, 3);  // 1/63 + 1/61
        QCOMPARE(fused[2].first, 2);
        QCOMPARE(fused[3].first, 4);
        QVERIFY(std::fabs(fused[0].second - (1.0 / 61 + 1.0 / 62)) < 1e-12);
    }

    void embedsOnlyNewChunksAfterAChange() {
        QTemporaryDir dir;
        const QString a = dir.filePath("a.md"), b = dir.filePath("b.md");
        QVERIFY(ft::writeBytes(a, ("# A\n\n" + lines("apple", 30) + "\n\n# B\n\n" + lines("berry", 30)).toUtf8()));
        QVERIFY(ft::writeBytes(b, lines("cedar", 5).toUtf8()));
        auto opened = DocIndex::open(dir.filePath("index.sqlite"));
        QVERIFY(opened.ok());
        DocIndex& index = *opened.value();
        IndexerOptions options;
        options.embedder = embedder_.get();
        options.countTokens = [&](const QString& s) { return embedder_->countTokens(s); };
        options.chunking.targetTokens = 60;  // several chunks per section from little text
        options.chunking.overlapTokens = 9;
        Indexer indexer(index, options);
        auto first = indexer.add({dir.path()});
        QVERIFY2(first.ok(), first.ok() ? "" : first.message().c_str());
        const IndexStatus st = index.status().value();
        QVERIFY(st.chunks >= 6);
        QCOMPARE(st.embedded, st.chunks);
        QCOMPARE(first->embedded, st.chunks);
        QCOMPARE(index.meta("embed_model_id"), embedder_->modelId());
        const auto before = storedVectors(index);
        for (const auto& [id, vec] : before) QCOMPARE(int(vec.size()), embedder_->dims());

        QVERIFY(ft::writeBytes(a, ("# A\n\n" + lines("apple", 30) + "\n\n# B\n\n" + lines("plum", 30)).toUtf8()));
        auto second = indexer.add({dir.path()});
        QVERIFY(second.ok());
        QVERIFY(second->chunksAdded > 0);
        QCOMPARE(second->embedded, second->chunksAdded);  // only the new chunks
        QVERIFY(second->embedded < st.chunks);
        const auto after = storedVectors(index);
        int kept = 0;
        for (const auto& [id, vec] : after)
            if (before.count(id)) {
                QCOMPARE(vec, before.at(id));
                ++kept;
            }
        QVERIFY(kept > 0);
        QCOMPARE(index.status()->embedded, index.status()->chunks);

        // Semantic: k hits, best first, cosine-range scores.
        auto semantic = searchDocuments(index, "apple fact", 3, SearchMode::Semantic, embedder_.get());
        QVERIFY2(semantic.ok(), semantic.ok() ? "" : semantic.message().c_str());
        QCOMPARE(int(semantic->size()), 3);
        for (size_t i = 0; i < semantic->size(); ++i) {
            QVERIFY(std::fabs(semantic->at(i).score) <= 1.01);
            if (i) QVERIFY(semantic->at(i).score <= semantic->at(i - 1).score);
        }
        // Hybrid: the only chunk with "cedar" is BM25's first, so fusion keeps it in the top k.
        auto hybrid = searchDocuments(index, "cedar", 5, SearchMode::Hybrid, embedder_.get());
        QVERIFY(hybrid.ok());
        QCOMPARE(int(hybrid->size()), 5);
        bool cedar = false;
        for (const SearchHit& h : hybrid.value()) cedar = cedar || h.text.contains("cedar");
        QVERIFY(cedar);
        QVERIFY(hybrid->front().score <= 2.0 / 61 + 1e-9);

        // Another model: the old vectors go, every chunk is embedded again.
        auto other = DocEmbedder::open(ft::dataFile("embedding/embgemma-like.s12.gguf"));
        QVERIFY(other.ok());
        QVERIFY(other.value()->modelId() != embedder_->modelId());
        options.embedder = other.value().get();
        auto third = Indexer(index, options).add({dir.path()});
        QVERIFY(third.ok());
        QCOMPARE(third->embedded, index.status()->chunks);
        QSqlQuery q(index.database());
        QVERIFY(q.exec("SELECT count(DISTINCT model_id) FROM embeddings") && q.next());
        QCOMPARE(q.value(0).toInt(), 1);
    }

    void semanticNeedsAModel() {
        QTemporaryDir dir;
        auto index = DocIndex::open(dir.filePath("i.sqlite"));
        QVERIFY(index.ok());
        QVERIFY(!searchDocuments(*index.value(), "x", 3, SearchMode::Semantic, nullptr).ok());
        QVERIFY(searchDocuments(*index.value(), "x", 3, SearchMode::Hybrid, nullptr).ok());  // keyword then
    }
};

QTEST_MAIN(TstDocsEmbed)
#include "tst_docs_embed.moc"
