#include "tokenizer/utf8_stream.h"

#include <cstdint>

#include "tokenizer/tokenizer.h"

namespace facet {

namespace {

enum class Scan { Complete, Incomplete, Invalid };

// Examines the sequence starting at in[0]; *len receives its length when
// Complete, or the length of the maximal invalid subpart when Invalid.
Scan scanOne(std::string_view in, size_t* len) {
    const auto b0 = static_cast<uint8_t>(in[0]);
    if (b0 < 0x80) {
        *len = 1;
        return Scan::Complete;
    }
    size_t need = 0;
    uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 2;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 3;
        if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
        if (b0 == 0xED) hi = 0x9F;  // no surrogates
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 4;
        if (b0 == 0xF0) lo = 0x90;
        if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
    } else {
        *len = 1;
        return Scan::Invalid;
    }
    for (size_t k = 1; k < need; ++k) {
        if (k >= in.size()) return Scan::Incomplete;
        const auto b = static_cast<uint8_t>(in[k]);
        const uint8_t min = k == 1 ? lo : 0x80;
        const uint8_t max = k == 1 ? hi : 0xBF;
        if (b < min || b > max) {
            *len = k;
            return Scan::Invalid;
        }
    }
    *len = need;
    return Scan::Complete;
}

}  // namespace

bool isValidUtf8(std::string_view text) {
    size_t i = 0;
    while (i < text.size()) {
        size_t len = 0;
        if (scanOne(text.substr(i), &len) != Scan::Complete) return false;
        i += len;
    }
    return true;
}

size_t appendSanitizedUtf8(std::string_view in, std::string& out, bool final) {
    size_t i = 0;
    while (i < in.size()) {
        size_t len = 0;
        switch (scanOne(in.substr(i), &len)) {
        case Scan::Complete:
            out.append(in.substr(i, len));
            i += len;
            break;
        case Scan::Invalid:
            out.append(kReplacementChar);
            i += len;
            break;
        case Scan::Incomplete:
            if (!final) return i;
            out.append(kReplacementChar);  // the truncated rest is one maximal subpart
            return in.size();
        }
    }
    return i;
}

std::string sanitizeUtf8(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    appendSanitizedUtf8(in, out, true);
    return out;
}

StreamingDecoder::StreamingDecoder(const Tokenizer& tokenizer, bool renderSpecial)
    : tokenizer_(&tokenizer), renderSpecial_(renderSpecial) {}

std::string StreamingDecoder::push(int id) {
    tokenizer_->appendRawBytes(id, renderSpecial_, pending_);
    std::string out;
    const size_t used = appendSanitizedUtf8(pending_, out, false);
    pending_.erase(0, used);
    return out;
}

std::string StreamingDecoder::finish() {
    std::string out = sanitizeUtf8(pending_);
    pending_.clear();
    return out;
}

}  // namespace facet
