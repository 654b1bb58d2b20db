// What the facet-docs-bench modes share: flags, latency summaries and the
// mode entry points (one file per mode).
#pragma once

#include <QElapsedTimer>
#include <QString>

#include <map>
#include <string>
#include <vector>

namespace facet::docsbench {

// --name value pairs after the mode; a flag without a value holds "".
class Args {
public:
    static bool parse(int argc, char** argv, int first, Args& out, std::string& error);
    bool has(const std::string& name) const { return values_.count(name) > 0; }
    std::string get(const std::string& name, const std::string& fallback) const;
    // A whole number in [lo, hi]; `ok` false with a message otherwise.
    long long getInt(const std::string& name, long long fallback, long long lo, long long hi, std::string& error) const;

private:
    std::map<std::string, std::string> values_;
};

// Milliseconds, with sub-millisecond resolution.
inline double elapsedMs(const QElapsedTimer& t) { return double(t.nsecsElapsed()) / 1e6; }

struct Latency {
    double p50 = 0, p95 = 0, mean = 0, max = 0;
    int n = 0;
};
// Nearest-rank percentiles.
Latency summarize(std::vector<double> ms);
void printLatency(const char* what, const std::vector<double>& ms);

int fail(const QString& message);  // one line to stderr, returns 1

int benchPdf(const Args& args);         // bench_pdf.cpp
int benchSearchable(const Args& args);  // bench_searchable.cpp
int benchSearch(const Args& args);      // bench_search.cpp
int benchEval(const Args& args);        // bench_eval.cpp

}  // namespace facet::docsbench
