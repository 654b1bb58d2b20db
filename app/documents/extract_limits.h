// Per-file limits for extraction, so one hostile or huge file is skipped with a
// reason instead of stalling the whole run (documents-qa.md §2, §6.6).
#pragma once

#include <QtGlobal>

#include <functional>

namespace facet::docs {

struct ExtractLimits {
    qint64 maxFileBytes = 256ll << 20;       // bigger files are skipped as "too large"
    qint64 maxEntryBytes = 64ll << 20;       // one zip entry, uncompressed
    qint64 maxZipTotalBytes = 256ll << 20;   // all entries read from one container
    int maxZipRatio = 200;                   // uncompressed/compressed above this (and > 1 MiB) is a bomb
    // Wall-clock budget per file; 0 turns it off. `clockMs` is injectable so
    // tests never depend on machine speed; empty means a steady clock.
    qint64 timeLimitMs = 0;
    std::function<qint64()> clockMs;
};

// Checks the time budget cooperatively (between pages, XML tokens, entries).
class Deadline {
public:
    explicit Deadline(const ExtractLimits& limits);
    bool expired() const;
    qint64 limitMs() const { return limitMs_; }

private:
    std::function<qint64()> clock_;
    qint64 start_ = 0;
    qint64 limitMs_ = 0;
};

}  // namespace facet::docs
