// GrammarMatcher: runs a Grammar over bytes. Its state is a small set of
// parse stacks (one per live reading, so anyOf and numbers that may or may
// not go on need no lookahead); a byte that no stack accepts is refused and
// leaves the state as it was.
#pragma once

#include <bitset>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "grammar/grammar.h"

namespace facet::grammar {

class GrammarMatcher {
public:
    // `grammar` must outlive the matcher.
    explicit GrammarMatcher(const Grammar& grammar);

    // Consumes all of `bytes`, or nothing (false) when some byte is refused.
    bool feed(std::string_view bytes);
    bool canFeed(std::string_view bytes) const;
    // The text so far is a whole sentence of the grammar.
    bool canEnd() const;
    // Bytes that some stack accepts next.
    std::bitset<256> nextBytes() const;
    // When every reading is inside a string between characters, how many
    // more code points of plain text (well-formed UTF-8 without quote,
    // escape or control bytes) may follow; -1 otherwise.
    int plainStringRoom() const;
    // Bytes that can never occur in plain string text of this dialect.
    static bool breaksPlainString(Dialect dialect, uint8_t byte);

private:
    struct Frame {
        NodeId node = -1;    // -1: the root frame
        uint8_t phase = 0;
        uint8_t gap = 0;     // whitespace bytes in the current gap
        int count = 0;       // items, code points, literal bytes, children, digits
        int aux = -1;        // object: property being read; string: \u hex digits
        uint64_t used = 0;   // object: properties present
        std::string key;     // object: key being read
        bool operator==(const Frame&) const = default;
    };
    using Stack = std::vector<Frame>;

    void step(Stack s, uint8_t c, std::vector<Stack>& out) const;
    bool consume(Stack& s, uint8_t c, std::vector<Stack>& out) const;  // false: `s` was not used
    void pushValue(Stack s, NodeId id, uint8_t c, std::vector<Stack>& out) const;
    bool completable(const Frame& f) const;
    bool consumeObject(Stack& s, uint8_t c, std::vector<Stack>& out) const;
    bool consumeArray(Stack& s, uint8_t c, std::vector<Stack>& out) const;
    bool consumeString(Stack& s, uint8_t c) const;
    bool consumeNumber(Frame& f, uint8_t c, bool integer) const;
    bool keyAllowed(const GrammarNode& n, const Frame& f, bool whole) const;
    // `s` goes on as a reading (`endsGap`: the byte ended a whitespace gap),
    // or with its top frame complete.
    static bool next(Stack& s, std::vector<Stack>& out, bool endsGap);
    static bool pop(Stack& s, std::vector<Stack>& out);
    bool gap(Frame& f, uint8_t c) const;
    std::vector<Stack> advance(const std::vector<Stack>& stacks, std::string_view bytes) const;

    const Grammar* g_;
    std::vector<Stack> stacks_;
};

}  // namespace facet::grammar
