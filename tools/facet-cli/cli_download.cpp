// facet-cli download: the app's FileDownload without the window. Resumes from
// PATH.part, retries drops and stalls, verifies --sha256, and exits 0 only
// when PATH is complete (and verified when a checksum was given).
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QLocale>
#include <QUrl>

#include <cctype>
#include <cstdio>
#include <unistd.h>

#include "cli_common.h"
#include "file_download.h"

namespace facet::cli {

namespace {

std::string sizeText(qint64 n) {
    return QLocale::c().formattedDataSize(n, 1, QLocale::DataSizeTraditionalFormat).toStdString();
}

std::string etaText(qint64 s) {
    if (s < 0) return "--:--";
    char buf[32];
    if (s >= 3600)
        std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
    return buf;
}

bool isSha256Hex(const std::string& s) {
    if (s.size() != 64) return false;
    for (char c : s)
        if (!std::isxdigit(static_cast<unsigned char>(c))) return false;
    return true;
}

}  // namespace

int commandDownload(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--url", "--out", "--sha256", "--token", "--stall-timeout", "--retry-delay", "--retries"},
                            {});
    if (!args.ok()) return fail(args.message());
    auto url = args->require("--url");
    if (!url.ok()) return fail(url.message());
    auto out = args->require("--out");
    if (!out.ok()) return fail(out.message());
    auto stall = args->getInt("--stall-timeout", 30000, 0, 3600000);  // 0: no stall watch
    if (!stall.ok()) return fail(stall.message());
    auto delay = args->getInt("--retry-delay", 1000, 0, 600000);
    if (!delay.ok()) return fail(delay.message());
    auto retries = args->getInt("--retries", 10, 0, 1000);
    if (!retries.ok()) return fail(retries.message());
    const std::string sha = args->get("--sha256").value_or("");
    if (!sha.empty() && !isSha256Hex(sha))
        return fail("--sha256: expected 64 hex digits, got '" + sha + "' (" + std::to_string(sha.size()) + " characters)");

    const QUrl qurl(QString::fromStdString(url.value()), QUrl::StrictMode);
    if (const QString problem = FileDownload::urlProblem(qurl); !problem.isEmpty())
        return fail(problem.toStdString());

    DownloadOptions options;
    options.stallTimeoutMs = int(stall.value());
    options.retryBaseDelayMs = int(delay.value());
    options.maxRetries = int(retries.value());
    options.expectedSha256 = QString::fromStdString(sha);
    // HF_TOKEN keeps the token out of the process list; --token wins when both are given.
    options.token = QString::fromStdString(args->get("--token").value_or(qEnvironmentVariable("HF_TOKEN").toStdString()));

    int qargc = 1;
    char name[] = "facet-cli";
    char* qargv[] = {name, nullptr};
    QCoreApplication app(qargc, qargv);
    const QString path = QString::fromStdString(out.value());
    FileDownload download(qurl, path, options);

    // Progress at most twice a second; on a terminal it rewrites one line.
    const bool tty = isatty(fileno(stderr));
    const char end = tty ? '\r' : '\n';
    QElapsedTimer sinceLine;
    auto line = [&](bool force) {
        if (!force && sinceLine.isValid() && sinceLine.elapsed() < 500) return;
        sinceLine.restart();
        const qint64 got = download.receivedBytes(), total = download.totalBytes();
        const std::string pct = total > 0 ? std::to_string(got * 100 / total) + "%" : "?%";
        std::fprintf(stderr, "%5s  %s / %s  %s/s  ETA %s%c", pct.c_str(), sizeText(got).c_str(),
                     total >= 0 ? sizeText(total).c_str() : "?", sizeText(qint64(download.bytesPerSecond())).c_str(),
                     etaText(download.etaSeconds()).c_str(), end);
    };
    QObject::connect(&download, &FileDownload::progress, [&] { line(false); });
    QObject::connect(&download, &FileDownload::retrying, [&](int attempt, int ms, const QString& reason) {
        std::fprintf(stderr, "%sretrying in %.1f s (attempt %d): %s\n", tty ? "\n" : "", ms / 1000.0, attempt + 1,
                     reason.toStdString().c_str());
    });
    QObject::connect(&download, &FileDownload::stateChanged, [&](FileDownload::State s) {
        if (s == FileDownload::State::Verifying) {
            line(true);
            std::fprintf(stderr, "%sverifying sha256...\n", tty ? "\n" : "");
        }
    });
    QString error;
    QObject::connect(&download, &FileDownload::finished, [&](bool ok, const QString& e) {
        if (ok) line(true);
        error = ok ? QString() : e;
        app.exit(ok ? 0 : 1);
    });
    QMetaObject::invokeMethod(&download, &FileDownload::start, Qt::QueuedConnection);
    const int rc = app.exec();
    if (tty) std::fputc('\n', stderr);
    if (rc != 0 || !QFileInfo::exists(path)) return fail(error.isEmpty() ? "download failed" : error.toStdString());
    std::fprintf(stderr, "%s: %s\n", out.value().c_str(),
                 sha.empty() ? "complete (not verified: no --sha256)" : "complete, sha256 verified");
    return 0;
}

}  // namespace facet::cli
