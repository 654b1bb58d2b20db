#include "bench_common.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace facet::docsbench {

bool Args::parse(int argc, char** argv, int first, Args& out, std::string& error) {
    for (int i = first; i < argc; ++i) {
        const std::string name = argv[i];
        if (name.rfind("--", 0) != 0) {
            error = "unexpected argument '" + name + "'";
            return false;
        }
        const bool hasValue = i + 1 < argc && std::string(argv[i + 1]).rfind("--", 0) != 0;
        out.values_[name] = hasValue ? argv[++i] : "";
    }
    return true;
}

std::string Args::get(const std::string& name, const std::string& fallback) const {
    const auto it = values_.find(name);
    return it == values_.end() ? fallback : it->second;
}

long long Args::getInt(const std::string& name, long long fallback, long long lo, long long hi, std::string& error) const {
    const auto it = values_.find(name);
    if (it == values_.end()) return fallback;
    char* end = nullptr;
    const long long v = std::strtoll(it->second.c_str(), &end, 10);
    if (it->second.empty() || *end || v < lo || v > hi) {
        error = name + " must be a whole number in [" + std::to_string(lo) + ", " + std::to_string(hi) + "], got '" +
                it->second + "'";
        return fallback;
    }
    return v;
}

Latency summarize(std::vector<double> ms) {
    Latency l;
    l.n = int(ms.size());
    if (ms.empty()) return l;
    std::sort(ms.begin(), ms.end());
    auto rank = [&](double p) { return ms[size_t(std::max(0.0, std::ceil(p * double(ms.size())) - 1))]; };
    l.p50 = rank(0.50);
    l.p95 = rank(0.95);
    l.max = ms.back();
    for (double x : ms) l.mean += x;
    l.mean /= double(ms.size());
    return l;
}

void printLatency(const char* what, const std::vector<double>& ms) {
    const Latency l = summarize(ms);
    std::printf("  %-28s p50 %8.2f ms   p95 %8.2f ms   mean %8.2f ms   max %8.2f ms   (n=%d)\n", what, l.p50, l.p95,
                l.mean, l.max, l.n);
}

int fail(const QString& message) {
    std::fprintf(stderr, "facet-docs-bench: %s\n", qPrintable(message));
    return 1;
}

}  // namespace facet::docsbench
