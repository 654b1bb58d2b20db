// `search`: query latency on a synthetic index of 100k chunks (Zipf text,
// random 768-d int8 vectors): keyword (FTS5 BM25), semantic and hybrid search
// with the hits' text read back, and the raw dense scan alone (documents-qa.md
// §6.7 target: p95 ≤ 50 ms at 100k chunks, query embedding excluded).
// Semantic queries are random vectors fed to searchWithVector: the embedder is
// bypassed, so only retrieval is timed.
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdio>

#include "bench_common.h"
#include "doc_search.h"
#include "synthetic_corpus.h"
#include "vector_store.h"

namespace facet::docsbench {

int benchSearch(const Args& args) {
    std::string error;
    const qint64 chunks = args.getInt("--chunks", 100000, 1, 10000000, error);
    const int dims = int(args.getInt("--dims", 768, 1, 4096, error));
    const int queries = int(args.getInt("--queries", 200, 1, 100000, error));
    const int k = int(args.getInt("--k", 10, 1, 1000, error));
    if (!error.empty()) return fail(QString::fromStdString(error));
    const QString modelId = QStringLiteral("synthetic-random:%1").arg(dims);

    QTemporaryDir dir;
    if (!dir.isValid()) return fail(QStringLiteral("cannot make a temporary folder"));
    // --db keeps the index for another run (building 100k chunks takes a while).
    const QString dbPath = args.has("--db") ? QString::fromStdString(args.get("--db", "")) : dir.filePath("search.sqlite");
    auto opened = docs::DocIndex::open(dbPath);
    if (!opened.ok()) return fail(QString::fromStdString(opened.message()));
    docs::DocIndex& index = *opened.value();
    auto status = index.status();
    if (!status.ok()) return fail(QString::fromStdString(status.message()));
    SyntheticText text(3);
    QElapsedTimer t;
    if (status->chunks == 0) {
        std::printf("building %lld chunks with %d-d vectors in %s\n", (long long)chunks, dims, qPrintable(dbPath));
        FillOptions fill;
        fill.chunks = chunks;
        fill.dims = dims;
        fill.modelId = modelId;
        t.start();
        if (Status s = fillIndex(index, text, fill); !s.ok()) return fail(QString::fromStdString(s.message()));
        std::printf("built in %.1f s\n", elapsedMs(t) / 1000);
        status = index.status();
        if (!status.ok()) return fail(QString::fromStdString(status.message()));
    }
    std::printf("index: %lld chunks, %lld vectors (%d-d int8), %.0f MB on disk\n", (long long)status->chunks,
                (long long)status->embedded, dims, double(QFileInfo(dbPath).size()) / 1e6);

    std::vector<QString> words;
    std::vector<std::vector<float>> vectors;
    for (int i = 0; i < queries; ++i) {
        words.push_back(text.query(2 + i % 4));
        vectors.push_back(randomUnitVector(text.rng(), dims));
    }

    std::printf("%d queries, k = %d (2-5 mid-frequency words each; random unit query vectors)\n", queries, k);
    // The first semantic query loads the matrix; later ones reuse it.
    t.start();
    auto first = docs::searchWithVector(index, words[0], vectors[0], modelId, k, docs::SearchMode::Semantic);
    if (!first.ok()) return fail(QString::fromStdString(first.message()));
    std::printf("  first semantic query (loads the vectors): %.1f ms\n", elapsedMs(t));

    const struct {
        const char* name;
        docs::SearchMode mode;
    } modes[] = {{"keyword", docs::SearchMode::Keyword},
                 {"semantic", docs::SearchMode::Semantic},
                 {"hybrid (RRF)", docs::SearchMode::Hybrid}};
    for (const auto& m : modes) {
        std::vector<double> ms;
        size_t hits = 0;
        for (int i = 0; i < queries; ++i) {
            t.restart();
            auto r = docs::searchWithVector(index, words[size_t(i)], vectors[size_t(i)], modelId, k, m.mode);
            ms.push_back(elapsedMs(t));
            if (!r.ok()) return fail(QString::fromStdString(r.message()));
            hits += r->size();
        }
        printLatency(m.name, ms);
        if (hits == 0) std::printf("  (%s found nothing: the numbers above are not meaningful)\n", m.name);
    }

    docs::VectorStore store;
    t.restart();
    if (Status s = store.refresh(index.database(), modelId, dims); !s.ok()) return fail(QString::fromStdString(s.message()));
    std::printf("dense scan alone, %zu × %d int8:\n  load from SQLite: %.1f ms (%.0f MB in RAM)\n", store.size(), dims,
                elapsedMs(t), double(store.size()) * dims / 1e6);
    for (int threads : {1, 2}) {
        std::vector<double> ms;
        for (int i = 0; i < queries; ++i) {
            t.restart();
            const auto best = store.topK(vectors[size_t(i)], k, threads);
            ms.push_back(elapsedMs(t));
            if (best.empty()) return fail(QStringLiteral("the dense scan found nothing"));
        }
        printLatency(threads == 1 ? "scan top-k (1 thread)" : "scan top-k (2 threads)", ms);
    }
    // Roughly what every semantic query cost before the in-RAM matrix: read all vectors, then scan.
    std::vector<double> ms;
    for (int i = 0; i < std::min(queries, 20); ++i) {
        t.restart();
        store.invalidate();
        if (Status s = store.refresh(index.database(), modelId, dims); !s.ok()) return fail(QString::fromStdString(s.message()));
        (void)store.topK(vectors[size_t(i)], k);
        ms.push_back(elapsedMs(t));
    }
    printLatency("re-read SQLite + scan", ms);
    return 0;
}

}  // namespace facet::docsbench
