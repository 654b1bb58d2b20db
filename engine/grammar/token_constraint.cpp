#include "grammar/token_constraint.h"

#include <algorithm>

#include "chat/tool_syntax.h"
#include "tokenizer/tokenizer.h"

namespace facet::grammar {

namespace {

// Code points of `b` when it is plain string text: well-formed, complete
// UTF-8 with no byte that ends or escapes a string; else -1.
int plainCodePoints(Dialect dialect, const std::string& b) {
    int cps = 0;
    for (size_t i = 0; i < b.size();) {
        const auto c = static_cast<uint8_t>(b[i]);
        if (GrammarMatcher::breaksPlainString(dialect, c)) return -1;
        size_t len = 1;
        if (c >= 0x80) {
            if (c < 0xC2 || c > 0xF4) return -1;
            len = c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
            if (i + len > b.size()) return -1;
            const auto c1 = static_cast<uint8_t>(b[i + 1]);
            const uint8_t lo = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
            const uint8_t hi = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
            if (c1 < lo || c1 > hi) return -1;
            for (size_t k = 2; k < len; ++k)
                if ((static_cast<uint8_t>(b[i + k]) & 0xC0) != 0x80) return -1;
        }
        i += len;
        ++cps;
    }
    return cps;
}

}  // namespace

TokenConstraint::TokenConstraint(const Tokenizer& tok, Grammar grammar, Options options)
    : grammar_(std::move(grammar)), matcher_(grammar_), options_(std::move(options)) {
    channelOpen_ = tok.idOf("<|channel>").value_or(-1);
    channelClose_ = tok.idOf("<channel|>").value_or(-1);
    const int n = tok.vocabSize();
    bytes_.resize(n);
    codePoints_.assign(n, -1);
    int markerIds[protocol::kMarkerCount];
    for (int i = 0; i < protocol::kMarkerCount; ++i) markerIds[i] = tok.idOf(protocol::kMarkerPieces[i]).value_or(-1);
    for (int id = 0; id < n; ++id) {
        std::string& b = bytes_[id];
        for (char m : {protocol::kQuote, protocol::kCallOpen, protocol::kCallClose})
            if (id == markerIds[m - 1]) b.assign(1, m);
        if (b.empty() && !tok.isControl(id)) {
            tok.appendRawBytes(id, false, b);
            // Only the marker tokens may spell a protocol byte (a byte token
            // <0x02> must never open a call).
            if (sanitizeProtocolText(b).size() != b.size()) b.clear();
        }
        if (b.empty()) continue;
        codePoints_[id] = plainCodePoints(grammar_.dialect, b);
    }
}

bool TokenConstraint::isStop(int id) const {
    return std::find(options_.stopIds.begin(), options_.stopIds.end(), id) != options_.stopIds.end();
}

void TokenConstraint::refresh() {
    if (fresh_) return;
    first_ = matcher_.nextBytes();
    room_ = matcher_.plainStringRoom();
    canEnd_ = matcher_.canEnd();
    fresh_ = true;
}

bool TokenConstraint::allows(int id) {
    if (id < 0 || id >= static_cast<int>(bytes_.size())) return false;
    if (phase_ == Phase::Thought) return !isStop(id);
    if (phase_ == Phase::Start && options_.allowThought && id == channelOpen_) return true;
    refresh();
    if (isStop(id)) return phase_ == Phase::Grammar && canEnd_;
    const std::string& b = bytes_[id];
    if (b.empty() || !first_.test(static_cast<uint8_t>(b[0]))) return false;
    if (room_ >= 0 && codePoints_[id] >= 0) return codePoints_[id] <= room_;
    return matcher_.canFeed(b);
}

void TokenConstraint::accept(int id) {
    if (phase_ == Phase::Thought) {
        if (id == channelClose_) phase_ = Phase::Grammar;
        return;
    }
    if (phase_ == Phase::Start && options_.allowThought && id == channelOpen_) {
        phase_ = Phase::Thought;
        return;
    }
    phase_ = Phase::Grammar;
    if (id >= 0 && id < static_cast<int>(bytes_.size()) && !isStop(id)) {
        matcher_.feed(bytes_[id]);
        fresh_ = false;
    }
}

}  // namespace facet::grammar
