// TokenFilter: which token ids may come next (an output grammar, banned
// markers). The sampler masks the rest before any cut, so top-k, top-p and
// greedy pick among allowed tokens only.
#pragma once

#include <algorithm>
#include <vector>

namespace facet {

class TokenFilter {
public:
    virtual ~TokenFilter() = default;
    // Called for every id of the vocabulary at each step: keep it cheap.
    virtual bool allows(int id) = 0;
    // The id chosen (stop ids included).
    virtual void accept(int id) = 0;
};

// Never these ids (tool_choice "none" bans the tool-call marker).
class BannedTokens : public TokenFilter {
public:
    explicit BannedTokens(std::vector<int> ids) : ids_(std::move(ids)) {}
    bool allows(int id) override { return std::find(ids_.begin(), ids_.end(), id) == ids_.end(); }
    void accept(int) override {}

private:
    std::vector<int> ids_;
};

}  // namespace facet
