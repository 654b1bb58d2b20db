// `pdf`: text extraction speed through the real extractor (QtPdf), on a
// generated PDF with known text and, when installed, on the Debian Reference
// PDF (documents-qa.md §4.2 measured 120–128 pages/s; target ≥ 200).
#include <QFileInfo>
#include <QTemporaryDir>

#include <cstdio>

#include "bench_common.h"
#include "extractor.h"
#include "synthetic_corpus.h"

namespace facet::docsbench {

namespace {

// Extracts `path` `runs` times; prints each run and the median in pages/s.
bool timeExtraction(const QString& label, const QString& path, int runs) {
    std::vector<double> ms;
    int pages = 0;
    qint64 chars = 0;
    for (int r = 0; r < runs; ++r) {
        QElapsedTimer t;
        t.start();
        auto blocks = docs::extractDocument(path, docs::ExtractLimits{});
        ms.push_back(elapsedMs(t));
        if (!blocks.ok()) {
            fail(path + QStringLiteral(": ") + QString::fromStdString(blocks.message()));
            return false;
        }
        pages = 0;
        chars = 0;
        for (const docs::DocBlock& b : blocks.value()) {
            pages = std::max(pages, b.page);
            chars += b.text.size();
        }
    }
    const Latency l = summarize(ms);
    std::printf("%s: %d pages, %.2f MB, %lld characters of text\n", qPrintable(label), pages,
                double(QFileInfo(path).size()) / 1e6, (long long)chars);
    for (size_t r = 0; r < ms.size(); ++r)
        std::printf("  run %zu: %8.1f ms  %7.1f pages/s\n", r + 1, ms[r], pages * 1000.0 / ms[r]);
    std::printf("  median: %7.1f ms  %7.1f pages/s\n", l.p50, pages * 1000.0 / l.p50);
    return true;
}

}  // namespace

int benchPdf(const Args& args) {
    std::string error;
    const int pages = int(args.getInt("--pages", 240, 1, 100000, error));
    const int runs = int(args.getInt("--runs", 3, 1, 100, error));
    if (!error.empty()) return fail(QString::fromStdString(error));
    const QString real = QString::fromStdString(args.get("--real", "/usr/share/debian-reference/debian-reference.en.pdf"));
    QTemporaryDir dir;
    if (!dir.isValid()) return fail(QStringLiteral("cannot make a temporary folder"));
    SyntheticText text(1);
    const QString path = dir.filePath(QStringLiteral("synthetic.pdf"));
    QElapsedTimer t;
    t.start();
    if (!writeTextPdf(path, syntheticPages(text, pages, 55))) return fail(path + QStringLiteral(": QPdfWriter failed"));
    std::printf("generated %s (%d pages of 55 lines) in %.0f ms\n", qPrintable(path), pages, elapsedMs(t));
    if (!timeExtraction(QStringLiteral("synthetic PDF"), path, runs)) return 1;
    if (QFileInfo::exists(real) && !timeExtraction(real, real, runs)) return 1;
    return 0;
}

}  // namespace facet::docsbench
