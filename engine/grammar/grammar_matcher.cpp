#include "grammar/grammar_matcher.h"

#include <algorithm>
#include <climits>

namespace facet::grammar {

namespace {

constexpr size_t kMaxStacks = 256;  // readings kept at once; more are duplicates in practice

bool isWs(uint8_t c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r'; }
bool isDigit(uint8_t c) { return c >= '0' && c <= '9'; }
bool isHex(uint8_t c) { return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool isMarker(uint8_t c) { return c == uint8_t(kQuoteMarker) || c == uint8_t(kCallOpenMarker) || c == uint8_t(kCallCloseMarker); }
// Bare keys of the GemmaCall dialect.
bool isBareKeyByte(uint8_t c) {
    return c >= 0x20 && !isMarker(c) && c != ':' && c != ',' && c != '{' && c != '}' && c != '[' && c != ']' && c != ' ';
}

}  // namespace

GrammarMatcher::GrammarMatcher(const Grammar& grammar) : g_(&grammar) { stacks_.push_back(Stack{Frame{}}); }

bool GrammarMatcher::breaksPlainString(Dialect dialect, uint8_t c) {
    if (dialect == Dialect::GemmaCall) return isMarker(c);
    return c == '"' || c == '\\' || c < 0x20;
}

bool GrammarMatcher::gap(Frame& f, uint8_t c) const {
    if (g_->dialect == Dialect::GemmaCall || !isWs(c) || f.gap >= kMaxGap) return false;
    ++f.gap;
    return true;
}

bool GrammarMatcher::completable(const Frame& f) const {
    if (f.node < 0) return false;
    const GrammarNode& n = g_->nodes[f.node];
    switch (n.kind) {
    case GrammarNode::Seq: return f.count == static_cast<int>(n.children.size());
    case GrammarNode::Repeat: return f.count >= n.minCount;
    case GrammarNode::Number:
    case GrammarNode::Integer: return f.phase == 2 || f.phase == 3 || f.phase == 5 || f.phase == 8;
    default: return false;  // the others end on their closing byte
    }
}

void GrammarMatcher::pushValue(Stack s, NodeId id, uint8_t c, std::vector<Stack>& out) const {
    if (static_cast<int>(s.size()) > kMaxDepth) return;
    const GrammarNode& n = g_->nodes[id];
    if (n.kind == GrammarNode::Alt) {
        for (NodeId child : n.children) pushValue(s, child, c, out);
        return;
    }
    Frame f;
    f.node = id;
    s.push_back(std::move(f));
    step(std::move(s), c, out);
}

void GrammarMatcher::step(Stack s, uint8_t c, std::vector<Stack>& out) const {
    if (s.empty()) return;
    // A frame that may end here can also hand the byte to its parent.
    if (completable(s.back())) {
        Stack parent(s.begin(), s.end() - 1);
        step(std::move(parent), c, out);
    }
    if (consume(s, c, out)) return;
}

bool GrammarMatcher::consume(Stack& s, uint8_t c, std::vector<Stack>& out) const {
    Frame& f = s.back();
    if (f.node < 0) {  // root: optional leading whitespace, one value, nothing after
        if (f.phase != 0) return false;
        if (gap(f, c)) {
            out.push_back(s);
            return true;
        }
        f.phase = 1;
        pushValue(s, g_->root, c, out);
        return true;
    }
    const GrammarNode& n = g_->nodes[f.node];
    switch (n.kind) {
    case GrammarNode::Literal:
        if (f.count >= static_cast<int>(n.text.size()) || uint8_t(n.text[f.count]) != c) return false;
        if (++f.count == static_cast<int>(n.text.size())) s.pop_back();
        out.push_back(s);
        return true;
    case GrammarNode::Seq:
    case GrammarNode::Repeat: {
        const bool seq = n.kind == GrammarNode::Seq;
        if (seq ? f.count >= static_cast<int>(n.children.size()) : (n.maxCount >= 0 && f.count >= n.maxCount))
            return false;
        const NodeId child = seq ? n.children[f.count] : n.items;
        ++f.count;
        pushValue(s, child, c, out);
        return true;
    }
    case GrammarNode::Object: return consumeObject(s, c, out);
    case GrammarNode::Array: return consumeArray(s, c, out);
    case GrammarNode::String:
        if (!consumeString(s, c)) return false;
        out.push_back(s);
        return true;
    case GrammarNode::Number:
    case GrammarNode::Integer:
        if (!consumeNumber(f, c, n.kind == GrammarNode::Integer)) return false;
        out.push_back(s);
        return true;
    case GrammarNode::Alt: return false;  // never on a stack
    }
    return false;
}

bool GrammarMatcher::next(Stack& s, std::vector<Stack>& out, bool endsGap) {
    if (endsGap) s.back().gap = 0;
    out.push_back(s);
    return true;
}

bool GrammarMatcher::pop(Stack& s, std::vector<Stack>& out) {
    s.pop_back();
    out.push_back(s);
    return true;
}

bool GrammarMatcher::keyAllowed(const GrammarNode& n, const Frame& f, bool whole) const {
    for (size_t i = 0; i < n.properties.size(); ++i) {
        const std::string& name = n.properties[i].first;
        if (whole ? name == f.key : name.compare(0, f.key.size(), f.key) == 0) {
            if (!(f.used >> i & 1)) return true;
            if (whole) return false;  // a property given twice
        }
    }
    return n.additional >= 0;
}

bool GrammarMatcher::consumeObject(Stack& s, uint8_t c, std::vector<Stack>& out) const {
    Frame& f = s.back();
    const GrammarNode& n = g_->nodes[f.node];
    const bool json = g_->dialect == Dialect::Json;
    const bool requiredDone = (n.requiredMask & ~f.used) == 0;
    auto emit = [&] { return next(s, out, true); };
    auto keep = [&] { return next(s, out, false); };
    auto close = [&] { return pop(s, out); };
    auto startKey = [&](uint8_t first) {
        f.key.clear();
        f.phase = 2;
        if (json) return emit();
        f.key.push_back(static_cast<char>(first));
        return keyAllowed(n, f, false) && emit();
    };
    auto moreKeys = [&] {
        if (n.additional >= 0) return true;
        for (size_t i = 0; i < n.properties.size(); ++i)
            if (!(f.used >> i & 1)) return true;
        return false;
    };
    auto finishKey = [&](uint8_t nextPhase) {
        if (!keyAllowed(n, f, true)) return false;
        f.aux = -1;
        for (size_t i = 0; i < n.properties.size(); ++i)
            if (n.properties[i].first == f.key) f.aux = static_cast<int>(i);
        f.phase = nextPhase;
        return emit();
    };
    switch (f.phase) {
    case 0:
        if (c != '{') return false;
        f.phase = 1;
        return emit();
    case 1:  // after '{'
        if (gap(f, c)) return keep();
        if (c == '}') return requiredDone && close();
        if (json) return c == '"' && startKey(c);
        return isBareKeyByte(c) && startKey(c);
    case 2:  // in a key
        if (json) {
            if (c == '"') return finishKey(3);
            if (c == '\\' || c < 0x20) return false;
        } else {
            if (c == ':') return finishKey(4);
            if (!isBareKeyByte(c)) return false;
        }
        f.key.push_back(static_cast<char>(c));
        return keyAllowed(n, f, false) && emit();
    case 3:  // after a JSON key
        if (gap(f, c)) return keep();
        if (c != ':') return false;
        f.phase = 4;
        return emit();
    case 4: {  // before a value
        if (gap(f, c)) return keep();
        const NodeId child = f.aux >= 0 ? n.properties[f.aux].second : n.additional;
        if (f.aux >= 0) f.used |= uint64_t(1) << f.aux;
        f.phase = 5;
        f.gap = 0;
        pushValue(s, child, c, out);
        return true;
    }
    case 5:  // after a value
        if (gap(f, c)) return keep();
        if (c == '}') return requiredDone && close();
        if (c != ',' || !moreKeys()) return false;
        f.phase = 6;
        return emit();
    case 6:  // after ','
        if (gap(f, c)) return keep();
        if (json) return c == '"' && startKey(c);
        return isBareKeyByte(c) && startKey(c);
    }
    return false;
}

bool GrammarMatcher::consumeArray(Stack& s, uint8_t c, std::vector<Stack>& out) const {
    Frame& f = s.back();
    const GrammarNode& n = g_->nodes[f.node];
    auto emit = [&] { return next(s, out, true); };
    auto keep = [&] { return next(s, out, false); };
    auto item = [&] {
        ++f.count;
        f.phase = 2;
        f.gap = 0;
        pushValue(s, n.items, c, out);
        return true;
    };
    switch (f.phase) {
    case 0:
        if (c != '[') return false;
        f.phase = 1;
        return emit();
    case 1:  // after '['
        if (gap(f, c)) return keep();
        if (c == ']') return n.minCount == 0 && pop(s, out);
        return n.maxCount != 0 && item();
    case 2:  // after an item
        if (gap(f, c)) return keep();
        if (c == ']') return f.count >= n.minCount && pop(s, out);
        if (c != ',' || (n.maxCount >= 0 && f.count >= n.maxCount)) return false;
        f.phase = 3;
        return emit();
    case 3:  // after ','
        if (gap(f, c)) return keep();
        return item();
    }
    return false;
}

bool GrammarMatcher::consumeString(Stack& s, uint8_t c) const {
    Frame& f = s.back();
    const GrammarNode& n = g_->nodes[f.node];
    const bool json = g_->dialect == Dialect::Json;
    const uint8_t quote = json ? uint8_t('"') : uint8_t(kQuoteMarker);
    auto oneMore = [&] { return n.maxLength < 0 || f.count < n.maxLength; };
    switch (f.phase) {
    case 0:
        if (c != quote) return false;
        f.phase = 1;
        return true;
    case 1:
        if (f.aux > 0) {  // inside a UTF-8 sequence: f.aux bytes to go, f.gap its lead byte
            const uint8_t lo = f.gap == 0xE0 ? 0xA0 : f.gap == 0xF0 ? 0x90 : 0x80;
            const uint8_t hi = f.gap == 0xED ? 0x9F : f.gap == 0xF4 ? 0x8F : 0xBF;
            if (c < lo || c > hi) return false;
            f.gap = 0;  // only the second byte has narrower bounds
            --f.aux;
            return true;
        }
        if (c == quote) {
            if (f.count < n.minLength) return false;
            s.pop_back();
            return true;
        }
        if (breaksPlainString(g_->dialect, c)) {
            if (!json || c != '\\' || !oneMore()) return false;
            f.phase = 2;
            return true;
        }
        if (c >= 0x80) {  // a lead byte of well-formed UTF-8 (RFC 3629)
            if (c < 0xC2 || c > 0xF4) return false;
            f.aux = c < 0xE0 ? 1 : c < 0xF0 ? 2 : 3;
            f.gap = c;
        }
        if (!oneMore()) return false;
        ++f.count;
        return true;
    case 2:  // after a backslash
        if (c == 'u') {
            f.phase = 3;
            f.aux = 0;  // hex digits read
        } else if (std::string_view("\"\\/bfnrt").find(char(c)) != std::string_view::npos) {
            f.phase = 1;
        } else {
            return false;
        }
        ++f.count;
        return true;
    case 3:  // \uXXXX
        if (!isHex(c)) return false;
        if (++f.aux == 4) {
            f.phase = 1;
            f.aux = 0;
        }
        return true;
    }
    return false;
}

// Phases: 0 start, 1 after '-', 2 a leading 0, 3 integer digits, 4 after
// '.', 5 fraction digits, 6 after 'e', 7 after the exponent's sign, 8
// exponent digits. `count` counts the digits of the current part.
bool GrammarMatcher::consumeNumber(Frame& f, uint8_t c, bool integer) const {
    auto to = [&](uint8_t phase, int count) {
        f.phase = phase;
        f.count = count;
        return true;
    };
    switch (f.phase) {
    case 0:
        if (c == '-') return to(1, 0);
        [[fallthrough]];
    case 1:
        if (c == '0') return to(2, 1);
        if (c >= '1' && c <= '9') return to(3, 1);
        return false;
    case 2:
    case 3:
        if (f.phase == 3 && isDigit(c)) return f.count < kMaxIntDigits && to(3, f.count + 1);
        if (integer) return false;
        if (c == '.') return to(4, 0);
        if (c == 'e' || c == 'E') return to(6, 0);
        return false;
    case 4:
    case 5:
        if (isDigit(c)) return f.count < kMaxFracDigits && to(5, f.count + 1);
        if (f.phase == 5 && (c == 'e' || c == 'E')) return to(6, 0);
        return false;
    case 6:
        if (c == '+' || c == '-') return to(7, 0);
        [[fallthrough]];
    case 7:
    case 8:
        return isDigit(c) && f.count < kMaxExpDigits && to(8, f.count + 1);
    }
    return false;
}

std::vector<GrammarMatcher::Stack> GrammarMatcher::advance(const std::vector<Stack>& stacks,
                                                           std::string_view bytes) const {
    std::vector<Stack> cur = stacks, next;
    for (char ch : bytes) {
        next.clear();
        for (const Stack& s : cur) step(s, static_cast<uint8_t>(ch), next);
        // Drop duplicate readings (an anyOf whose branches agree so far).
        std::vector<Stack> unique;
        for (Stack& s : next) {
            if (std::find(unique.begin(), unique.end(), s) == unique.end()) unique.push_back(std::move(s));
            if (unique.size() >= kMaxStacks) break;
        }
        cur.swap(unique);
        if (cur.empty()) break;
    }
    return cur;
}

bool GrammarMatcher::feed(std::string_view bytes) {
    std::vector<Stack> next = advance(stacks_, bytes);
    if (next.empty()) return false;
    stacks_.swap(next);
    return true;
}

bool GrammarMatcher::canFeed(std::string_view bytes) const { return !advance(stacks_, bytes).empty(); }

bool GrammarMatcher::canEnd() const {
    for (const Stack& s : stacks_) {
        size_t top = s.size();
        while (top > 0 && completable(s[top - 1])) --top;
        if (top == 1 && s[0].node < 0 && s[0].phase == 1) return true;
    }
    return false;
}

std::bitset<256> GrammarMatcher::nextBytes() const {
    std::bitset<256> set;
    std::vector<Stack> out;
    for (int b = 0; b < 256; ++b) {
        for (const Stack& s : stacks_) {
            out.clear();
            step(s, static_cast<uint8_t>(b), out);
            if (!out.empty()) {
                set.set(b);
                break;
            }
        }
    }
    return set;
}

int GrammarMatcher::plainStringRoom() const {
    int room = -1;
    for (const Stack& s : stacks_) {
        const Frame& f = s.back();
        if (f.node < 0) return -1;
        const GrammarNode& n = g_->nodes[f.node];
        if (n.kind != GrammarNode::String || f.phase != 1 || f.aux > 0) return -1;
        room = std::max(room, n.maxLength < 0 ? INT_MAX : n.maxLength - f.count);
    }
    return room;
}

}  // namespace facet::grammar
