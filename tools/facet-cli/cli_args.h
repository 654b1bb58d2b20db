// Minimal "--key value" / "--flag" parsing shared by the facet-cli commands.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.h"

namespace facet::cli {

class Args {
public:
    // `valued` take a value, `flags` take none; anything else is an error.
    static Result<Args> parse(const std::vector<std::string>& argv, const std::set<std::string>& valued,
                              const std::set<std::string>& flags);

    bool has(const std::string& key) const { return values_.count(key) || flags_.count(key); }
    std::optional<std::string> get(const std::string& key) const;  // the last value given
    std::vector<std::string> getAll(const std::string& key) const;  // every value, in order
    Result<std::string> require(const std::string& key) const;
    Result<long long> getInt(const std::string& key, long long fallback, long long lo, long long hi) const;
    Result<double> getDouble(const std::string& key, double fallback, double lo, double hi) const;

private:
    std::map<std::string, std::string> values_;
    std::map<std::string, std::vector<std::string>> all_;
    std::set<std::string> flags_;
};

// "2 105 9" → ids; rejects anything that is not a non-negative integer.
Result<std::vector<int>> parseIds(const std::string& text);

}  // namespace facet::cli
