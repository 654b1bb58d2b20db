// TokenConstraint: a Grammar as a sampler filter. Each token is the bytes it
// decodes to (tool markers as protocol bytes, other control tokens as
// nothing, so never allowed); a token is allowed when the matcher accepts
// all of its bytes, and a stop token only once the grammar is complete.
// Most tokens are decided without running the matcher: by their first byte
// (one 256-entry set per step) or, inside a string, by being plain text that
// fits the string's remaining length.
//
// With thinking on, the model may first write its thought channel
// (<|channel> ... <channel|>) freely; the grammar applies after it.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <vector>

#include "grammar/grammar_matcher.h"
#include "sampling/token_filter.h"

namespace facet {
class Tokenizer;
}

namespace facet::grammar {

class TokenConstraint : public TokenFilter {
public:
    struct Options {
        std::vector<int> stopIds;
        bool allowThought = false;  // thinking is on: a thought channel may come first
    };
    TokenConstraint(const Tokenizer& tokenizer, Grammar grammar, Options options);
    TokenConstraint(const TokenConstraint&) = delete;
    TokenConstraint& operator=(const TokenConstraint&) = delete;

    bool allows(int id) override;
    void accept(int id) override;
    bool complete() const { return phase_ == Phase::Grammar && matcher_.canEnd(); }

private:
    enum class Phase { Start, Thought, Grammar };
    bool isStop(int id) const;
    void refresh();

    Grammar grammar_;
    GrammarMatcher matcher_;
    Options options_;
    int channelOpen_ = -1, channelClose_ = -1;
    std::vector<std::string> bytes_;  // per id
    std::vector<int> codePoints_;     // per id: code points when plain string text, else -1
    Phase phase_ = Phase::Start;
    bool fresh_ = false;              // the per-step caches below match the matcher
    std::bitset<256> first_;
    int room_ = -1;
    bool canEnd_ = false;
};

}  // namespace facet::grammar
