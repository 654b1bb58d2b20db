#include "cli_args.h"

#include <cerrno>
#include <cstdlib>
#include <sstream>

namespace facet::cli {

Result<Args> Args::parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                         const std::set<std::string>& flags) {
    Args a;
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& k = argv[i];
        if (valued.count(k)) {
            if (i + 1 >= argv.size()) return errorf("option %s needs a value", k.c_str());
            a.values_[k] = argv[++i];
            a.all_[k].push_back(argv[i]);
        } else if (flags.count(k)) {
            a.flags_.insert(k);
        } else {
            return errorf("unknown option '%s'", k.c_str());
        }
    }
    return a;
}

std::optional<std::string> Args::get(const std::string& key) const {
    auto it = values_.find(key);
    if (it == values_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> Args::getAll(const std::string& key) const {
    auto it = all_.find(key);
    return it == all_.end() ? std::vector<std::string>{} : it->second;
}

Result<std::string> Args::require(const std::string& key) const {
    auto v = get(key);
    if (!v) return errorf("option %s is required", key.c_str());
    return *v;
}

Result<long long> Args::getInt(const std::string& key, long long fallback, long long lo, long long hi) const {
    auto v = get(key);
    if (!v) return fallback;
    errno = 0;
    char* end = nullptr;
    long long x = std::strtoll(v->c_str(), &end, 10);
    if (errno || end == v->c_str() || *end || x < lo || x > hi)
        return errorf("option %s: '%s' is not an integer in %lld..%lld", key.c_str(), v->c_str(), lo, hi);
    return x;
}

Result<double> Args::getDouble(const std::string& key, double fallback, double lo, double hi) const {
    auto v = get(key);
    if (!v) return fallback;
    errno = 0;
    char* end = nullptr;
    double x = std::strtod(v->c_str(), &end);
    if (errno || end == v->c_str() || *end || !(x >= lo && x <= hi))
        return errorf("option %s: '%s' is not a number in %g..%g", key.c_str(), v->c_str(), lo, hi);
    return x;
}

Result<std::vector<int>> parseIds(const std::string& text) {
    std::vector<int> ids;
    std::istringstream in(text);
    std::string word;
    while (in >> word) {
        errno = 0;
        char* end = nullptr;
        long v = std::strtol(word.c_str(), &end, 10);
        if (errno || *end || v < 0 || v > (1L << 30)) return errorf("'%s' is not a token id", word.c_str());
        ids.push_back(static_cast<int>(v));
    }
    if (ids.empty()) return errorf("no token ids given");
    return ids;
}

}  // namespace facet::cli
