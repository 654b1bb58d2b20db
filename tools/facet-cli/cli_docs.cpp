// facet-cli docs add|search|status|remove (ask: cli_docs_ask.cpp): the document library without the
// window (facet_documents). `add` blocks until indexing ends, prints progress
// on stderr and exits 0 even when files were skipped (they are listed).
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cstdio>
#include <memory>
#include <unistd.h>

#include "cli_common.h"
#include "cli_docs_shared.h"
#include "doc_embedder.h"
#include "doc_index.h"
#include "doc_search.h"
#include "indexer.h"

namespace facet::cli {

namespace {

using namespace facet::docs;

// Options and their values, then the positional paths ("--" ends options).
struct SplitArgs {
    std::vector<std::string> options;
    QStringList paths;
};

SplitArgs splitPositionals(const std::vector<std::string>& argv, const std::set<std::string>& valued) {
    SplitArgs out;
    bool onlyPaths = false;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (!onlyPaths && a == "--") {
            onlyPaths = true;
        } else if (!onlyPaths && a.size() > 1 && a[0] == '-') {
            out.options.push_back(a);
            if (valued.count(a) && i + 1 < argv.size()) out.options.push_back(argv[++i]);
        } else {
            out.paths << QString::fromStdString(a);
        }
    }
    return out;
}

QJsonValue orNull(const QString& s) { return s.isEmpty() ? QJsonValue() : QJsonValue(s); }

void printLine(const QJsonDocument& doc) {
    const QByteArray bytes = doc.toJson(QJsonDocument::Compact);
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stdout);
    std::fputc('\n', stdout);
}

int docsAdd(const std::vector<std::string>& argv) {
    const std::set<std::string> valued = {"--db", "--embed-model"};
    const SplitArgs split = splitPositionals(argv, valued);
    auto args = Args::parse(split.options, valued, {});
    if (!args.ok()) return fail("docs add: " + args.message());
    auto db = args->require("--db");
    if (!db.ok()) return fail("docs add: " + db.message());
    if (split.paths.isEmpty()) return fail("docs add: no PATH given");
    const auto app = makeApp(true);
    std::unique_ptr<DocEmbedder> embedder;
    if (auto model = args->get("--embed-model")) {
        auto opened = DocEmbedder::open(QString::fromStdString(*model), EmbedBackend::Auto);
        if (!opened.ok()) return fail("docs add: --embed-model: " + opened.message());
        embedder = std::move(opened.value());
    }
    auto index = openIndex(db.value(), true);
    if (!index.ok()) return fail(index.message());

    IndexerOptions options;
    options.limits.timeLimitMs = 120000;  // per file; a hung parser is skipped, not waited for
    if (embedder) {
        // Chunks are sized in the model's own tokens; search finds the model again by this path.
        options.embedder = embedder.get();
        options.countTokens = [&](const QString& s) { return embedder->countTokens(s); };
        const QString modelPath = QFileInfo(QString::fromStdString(*args->get("--embed-model"))).absoluteFilePath();
        if (Status s = index.value()->setMeta(QStringLiteral("embed_model_path"), modelPath); !s.ok())
            return fail("docs add: " + s.message());
    }
    Indexer indexer(*index.value(), options);
    const bool tty = isatty(fileno(stderr));
    QElapsedTimer timer;
    timer.start();
    auto report = indexer.add(split.paths, [&](const IndexProgress& p) {
        const std::string rate = embedder ? "  " + std::to_string(int(p.embeddingsPerSecond + 0.5)) + " embeddings/s" : "";
        std::fprintf(stderr, "[%d/%d] %s  %lld chunks%s%s%c", p.filesDone, p.filesTotal,
                     qPrintable(QFileInfo(p.currentFile).fileName()), (long long)p.chunksAdded, rate.c_str(),
                     tty ? "\x1b[K" : "", tty ? '\r' : '\n');
    });
    if (tty) std::fputc('\n', stderr);
    if (!report.ok()) return fail("docs add: " + report.message());
    auto status = index.value()->status();
    if (status.ok())
        for (const SkippedFile& s : status->skipped)
            std::fprintf(stderr, "skipped: %s: %s\n", qPrintable(s.path), qPrintable(s.reason));
    std::fprintf(stderr,
                 "%d files: %d indexed, %d unchanged, %d skipped, %d removed; %lld new chunks, %lld embedded in %.1f s\n",
                 report->files, report->indexed, report->unchanged, report->skipped, report->removed,
                 (long long)report->chunksAdded, (long long)report->embedded, timer.elapsed() / 1000.0);
    return 0;
}

int docsSearch(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--db", "--query", "-k", "--mode"}, {"--json"});
    if (!args.ok()) return fail("docs search: " + args.message());
    auto db = args->require("--db");
    if (!db.ok()) return fail("docs search: " + db.message());
    auto query = args->require("--query");
    if (!query.ok()) return fail("docs search: " + query.message());
    auto k = args->getInt("-k", 5, 1, 1000);
    if (!k.ok()) return fail("docs search: " + k.message());
    const std::string mode = args->get("--mode").value_or("hybrid");
    if (mode != "keyword" && mode != "semantic" && mode != "hybrid")
        return fail("docs search: --mode must be keyword, semantic or hybrid, got '" + mode + "'");
    const auto app = makeApp(false);
    auto index = openIndex(db.value(), false);
    if (!index.ok()) return fail(index.message());
    auto status = index.value()->status();
    if (!status.ok()) return fail(status.message());
    // Hybrid without vectors is keyword search: BM25 works before any embedding exists.
    const SearchMode searchMode = mode == "keyword" ? SearchMode::Keyword
                                  : mode == "semantic" ? SearchMode::Semantic
                                                       : SearchMode::Hybrid;
    if (searchMode == SearchMode::Semantic && status->embedded == 0)
        return fail("docs search: --mode semantic: the index has no embeddings (docs add --embed-model PATH)");
    std::unique_ptr<DocEmbedder> embedder;
    if (searchMode != SearchMode::Keyword && status->embedded > 0) {
        const QString modelPath = index.value()->meta(QStringLiteral("embed_model_path"));
        auto opened = DocEmbedder::open(modelPath, EmbedBackend::Auto);
        if (!opened.ok()) return fail("docs search: the index's embedding model: " + opened.message());
        embedder = std::move(opened.value());
        if (embedder->modelId() != index.value()->meta(QStringLiteral("embed_model_id")))
            return fail("docs search: " + modelPath.toStdString() +
                        " changed since indexing; run docs add --embed-model again");
    }
    auto hits = searchDocuments(*index.value(), QString::fromStdString(query.value()), int(k.value()), searchMode,
                                embedder.get());
    if (!hits.ok()) return fail("docs search: " + hits.message());
    if (args->has("--json")) {
        QJsonArray out;
        for (const SearchHit& h : hits.value())
            out.append(QJsonObject{{"path", h.path},
                                   {"page", h.page > 0 ? QJsonValue(h.page) : QJsonValue()},
                                   {"page_label", orNull(h.pageLabel)},
                                   {"section", orNull(h.section)},
                                   {"text", h.text},
                                   {"score", h.score}});
        printLine(QJsonDocument(out));
        return 0;
    }
    int n = 0;
    for (const SearchHit& h : hits.value()) {
        QString where = h.path;
        if (h.page > 0) where += QStringLiteral(" p. %1 (%2)").arg(h.pageLabel.isEmpty() ? QString::number(h.page) : h.pageLabel).arg(h.page);
        if (!h.section.isEmpty()) where += QStringLiteral(" § ") + h.section;
        std::printf("%d. [%.3f] %s\n   %s\n", ++n, h.score, qPrintable(where),
                    qPrintable(h.text.simplified().left(300)));
    }
    return 0;
}

int docsStatus(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--db"}, {"--json"});
    if (!args.ok()) return fail("docs status: " + args.message());
    auto db = args->require("--db");
    if (!db.ok()) return fail("docs status: " + db.message());
    const auto app = makeApp(false);
    auto index = openIndex(db.value(), false);
    if (!index.ok()) return fail(index.message());
    auto st = index.value()->status();
    if (!st.ok()) return fail(st.message());
    if (args->has("--json")) {
        QJsonArray skipped;
        for (const SkippedFile& s : st->skipped) skipped.append(QJsonObject{{"path", s.path}, {"reason", s.reason}});
        printLine(QJsonDocument(QJsonObject{{"files", st->files},
                                            {"indexed", st->indexed},
                                            {"chunks", st->chunks},
                                            {"embedded", st->embedded},
                                            {"skipped", skipped},
                                            {"pending", st->pending}}));
        return 0;
    }
    std::printf("files %lld, indexed %lld, chunks %lld, embedded %lld, skipped %zu, pending %lld\n",
                (long long)st->files, (long long)st->indexed, (long long)st->chunks, (long long)st->embedded,
                st->skipped.size(), (long long)st->pending);
    for (const SkippedFile& s : st->skipped) std::printf("skipped: %s: %s\n", qPrintable(s.path), qPrintable(s.reason));
    return 0;
}

int docsRemove(const std::vector<std::string>& argv) {
    const std::set<std::string> valued = {"--db"};
    const SplitArgs split = splitPositionals(argv, valued);
    auto args = Args::parse(split.options, valued, {});
    if (!args.ok()) return fail("docs remove: " + args.message());
    auto db = args->require("--db");
    if (!db.ok()) return fail("docs remove: " + db.message());
    if (split.paths.isEmpty()) return fail("docs remove: no PATH given");
    const auto app = makeApp(false);
    auto index = openIndex(db.value(), false);
    if (!index.ok()) return fail(index.message());
    int removed = 0;
    for (const QString& p : split.paths) {
        // The file may be gone already: match its absolute path, and its canonical one when it still exists.
        const QFileInfo info(p);
        QStringList forms = {QDir::cleanPath(info.absoluteFilePath())};
        if (!info.canonicalFilePath().isEmpty() && !forms.contains(info.canonicalFilePath())) forms << info.canonicalFilePath();
        int n = 0;
        for (const QString& f : forms) {
            auto r = index.value()->removeUnder(f);
            if (!r.ok()) return fail("docs remove: " + r.message());
            n += r.value();
        }
        if (n == 0) return fail("docs remove: " + p.toStdString() + ": not in the index");
        removed += n;
    }
    std::fprintf(stderr, "removed %d file%s from the index\n", removed, removed == 1 ? "" : "s");
    return 0;
}

}  // namespace

int commandDocs(const std::vector<std::string>& argv) {
    if (argv.empty()) return fail("docs: expected add, search, ask, status or remove");
    const std::string action = argv[0];
    const std::vector<std::string> rest(argv.begin() + 1, argv.end());
    if (action == "add") return docsAdd(rest);
    if (action == "search") return docsSearch(rest);
    if (action == "ask") return docsAsk(rest);
    if (action == "status") return docsStatus(rest);
    if (action == "remove") return docsRemove(rest);
    return fail("docs: unknown action '" + action + "' (expected add, search, ask, status or remove)");
}

}  // namespace facet::cli
