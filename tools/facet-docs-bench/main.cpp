// facet-docs-bench: speed and retrieval quality of the documents library.
// Prints numbers; never judges them (no pass/fail on time).
#include <QGuiApplication>

#include <cstdio>
#include <cstring>
#include <string>

#include "bench_common.h"

using namespace facet::docsbench;

static const char* kUsage =
    "usage: facet-docs-bench MODE [options]\n"
    "  pdf         PDF text extraction pages/s (real extractor) on a generated PDF and the Debian Reference PDF\n"
    "              [--pages 240] [--runs 3] [--real PATH]\n"
    "  searchable  new file -> keyword-searchable time (Indexer::add + query) on an index of --base-chunks\n"
    "              [--base-chunks 20000] [--runs 3]   (a 20 KB text file, a 30-page and a 100-page PDF)\n"
    "  search      keyword / semantic / hybrid search p50/p95 and the raw dense scan on synthetic chunks\n"
    "              [--chunks 100000] [--dims 768] [--queries 200] [--k 10] [--db PATH (kept for reuse)]\n"
    "  eval        keyword retrieval on debian-reference-en: Recall@5/@10, MRR@10 per format (HTML, PDF, text)\n"
    "              and cross-format top-hit agreement\n"
    "              [--corpus /usr/share/debian-reference] [--questions PATH] [--k 10] [--verbose] [--keep DIR]\n"
    "Build it Release (cmake --preset release) before quoting numbers.\n";

int main(int argc, char** argv) {
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // results interleave with progress on stderr in order
    if (argc < 2 || !std::strcmp(argv[1], "--help") || !std::strcmp(argv[1], "-h")) {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 1 : 0;
    }
    // QtPdf, QPdfWriter and QTextDocument need a QGuiApplication; no display needed.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM") && qEnvironmentVariableIsEmpty("DISPLAY") &&
        qEnvironmentVariableIsEmpty("WAYLAND_DISPLAY"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    int qtArgc = 1;
    QGuiApplication app(qtArgc, argv);
    const std::string mode = argv[1];
    Args args;
    std::string error;
    if (!Args::parse(argc, argv, 2, args, error)) return fail(QString::fromStdString(error));
    if (mode == "pdf") return benchPdf(args);
    if (mode == "searchable") return benchSearchable(args);
    if (mode == "search") return benchSearch(args);
    if (mode == "eval") return benchEval(args);
    std::fputs(kUsage, stderr);
    return fail(QStringLiteral("unknown mode '%1'").arg(QString::fromStdString(mode)));
}
