// `searchable`: how long from a new file appearing to it being found by
// keyword search — Indexer::add (hash, extract, chunk, one commit) plus the
// query — on an index that already holds other documents (documents-qa.md
// §6.7 target: ≤ 2 s). No embedding model: BM25 works before vectors exist.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>

#include <cstdio>

#include "bench_common.h"
#include "indexer.h"
#include "synthetic_corpus.h"

namespace facet::docsbench {

namespace {

struct NewFile {
    QString label;
    QString suffix;
    int pages = 0;  // 0 = text file
};

// Writes one file with `marker` in its middle; false when it cannot.
bool writeFile(const QString& path, const NewFile& kind, SyntheticText& text, const QString& marker) {
    if (kind.pages == 0) {
        QString body = text.text(3000);  // ≈ 20 KB
        body.insert(body.size() / 2, QLatin1Char(' ') + marker + QLatin1Char(' '));
        QFile f(path);
        return f.open(QIODevice::WriteOnly) && f.write(body.toUtf8()) > 0;
    }
    QStringList pages = syntheticPages(text, kind.pages, 55);
    pages[kind.pages / 2] += QLatin1Char('\n') + marker;
    return writeTextPdf(path, pages);
}

}  // namespace

int benchSearchable(const Args& args) {
    std::string error;
    const qint64 baseChunks = args.getInt("--base-chunks", 20000, 0, 10000000, error);
    const int runs = int(args.getInt("--runs", 3, 1, 100, error));
    if (!error.empty()) return fail(QString::fromStdString(error));
    QTemporaryDir dir;
    if (!dir.isValid() || !QDir(dir.path()).mkpath(QStringLiteral("base")))
        return fail(QStringLiteral("cannot make a temporary folder"));
    auto opened = docs::DocIndex::open(dir.filePath(QStringLiteral("index.sqlite")));
    if (!opened.ok()) return fail(QString::fromStdString(opened.message()));
    docs::DocIndex& index = *opened.value();

    SyntheticText text(2);
    FillOptions fill;
    fill.chunks = baseChunks;
    fill.pathPrefix = dir.filePath(QStringLiteral("base/doc"));
    QElapsedTimer t;
    t.start();
    if (Status s = fillIndex(index, text, fill); !s.ok()) return fail(QString::fromStdString(s.message()));
    // The indexer drops documents whose files vanished: the base documents need files.
    for (qint64 d = 0; d < (baseChunks + fill.chunksPerDocument - 1) / fill.chunksPerDocument; ++d) {
        QFile f(fill.pathPrefix + QString::number(d) + QStringLiteral(".txt"));
        if (!f.open(QIODevice::WriteOnly)) return fail(f.fileName() + QStringLiteral(": cannot write"));
    }
    std::printf("base index: %lld chunks in %lld documents, built in %.1f s\n", (long long)baseChunks,
                (long long)((baseChunks + 99) / 100), elapsedMs(t) / 1000);

    const NewFile kinds[] = {{QStringLiteral("20 KB text file"), QStringLiteral("txt"), 0},
                             {QStringLiteral("30-page PDF"), QStringLiteral("pdf"), 30},
                             {QStringLiteral("100-page PDF"), QStringLiteral("pdf"), 100}};
    int serial = 0;
    for (const NewFile& kind : kinds) {
        std::vector<double> addMs, totalMs;
        for (int r = 0; r < runs; ++r) {
            const QString marker = QStringLiteral("zqmarker%1x").arg(++serial);
            const QString path = dir.filePath(QStringLiteral("new%1.%2").arg(serial).arg(kind.suffix));
            if (!writeFile(path, kind, text, marker)) return fail(path + QStringLiteral(": cannot write"));
            docs::Indexer indexer(index, docs::IndexerOptions{});
            t.restart();  // the file exists from here on
            auto report = indexer.add({path});
            const double added = elapsedMs(t);
            if (!report.ok()) return fail(QString::fromStdString(report.message()));
            auto hits = index.keywordSearch(marker, 5);
            const double total = elapsedMs(t);
            if (!hits.ok()) return fail(QString::fromStdString(hits.message()));
            if (hits->empty() || hits->front().path != path)
                return fail(path + QStringLiteral(": not found by its marker after indexing"));
            addMs.push_back(added);
            totalMs.push_back(total);
        }
        std::printf("%s (%d runs, each a new file):\n", qPrintable(kind.label), runs);
        printLatency("Indexer::add", addMs);
        printLatency("add + keyword query", totalMs);
    }
    return 0;
}

}  // namespace facet::docsbench
