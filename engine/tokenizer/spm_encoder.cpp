#include "tokenizer/spm_encoder.h"

#include <algorithm>
#include <queue>
#include <string>

namespace facet {

namespace {

constexpr std::string_view kEscapedSpace = "\xE2\x96\x81";  // U+2581

// Bytes of the UTF-8 sequence a lead byte starts; a stray continuation byte
// counts as one character, as in llama.cpp's unicode_len_utf8.
size_t utf8Length(unsigned char lead) {
    static constexpr size_t kLen[16] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 4};
    return kLen[lead >> 4];
}

struct Symbol {
    int prev = -1;
    int next = -1;
    size_t offset = 0;
    size_t length = 0;  // 0 once merged into its left neighbour
};

struct Bigram {
    int left = 0;
    int right = 0;
    float score = 0.0f;
    size_t length = 0;
};

// Highest score first; equal scores: the leftmost pair first.
struct BigramOrder {
    bool operator()(const Bigram& a, const Bigram& b) const {
        return a.score < b.score || (a.score == b.score && a.left > b.left);
    }
};

// A piece of the text: raw text to tokenize, or an id matched whole.
struct Fragment {
    std::string_view text;
    int id = -1;
};

}  // namespace

SpmEncoder::SpmEncoder(const Vocab& vocab, const std::unordered_map<std::string_view, int>& pieceToId,
                       const std::vector<bool>& neverFromText)
    : vocab_(vocab), pieceToId_(pieceToId), neverFromText_(neverFromText) {
    for (size_t id = 0; id < vocab.pieces.size(); ++id) {
        if (vocab.types[id] == PieceType::UserDefined && !neverFromText[id] &&
            pieceToId.at(vocab.pieces[id]) == static_cast<int>(id))
            wholePieces_.push_back(static_cast<int>(id));
    }
    std::stable_sort(wholePieces_.begin(), wholePieces_.end(),
                     [&](int a, int b) { return vocab.pieces[a].size() > vocab.pieces[b].size(); });
    byteIds_.fill(-1);
    for (size_t id = 0; id < vocab.pieces.size(); ++id) {
        uint8_t b = 0;
        if (vocab.types[id] == PieceType::Byte && parseBytePiece(vocab.pieces[id], &b)) byteIds_[b] = static_cast<int>(id);
    }
}

void SpmEncoder::encode(std::string_view text, std::vector<int>& out) const {
    std::vector<Fragment> fragments{{text, -1}}, next;
    for (int id : wholePieces_) {
        const std::string_view piece = vocab_.pieces[id];
        next.clear();
        for (const Fragment& f : fragments) {
            if (f.id >= 0) {
                next.push_back(f);
                continue;
            }
            size_t at = 0;
            for (size_t hit; (hit = f.text.find(piece, at)) != std::string_view::npos; at = hit + piece.size()) {
                if (hit > at) next.push_back({f.text.substr(at, hit - at), -1});
                next.push_back({piece, id});
            }
            if (at < f.text.size()) next.push_back({f.text.substr(at), -1});
        }
        fragments.swap(next);
    }

    bool afterPiece = true;  // the text's start counts as following a piece
    std::string escaped;
    for (const Fragment& f : fragments) {
        if (f.id >= 0) {
            out.push_back(f.id);
            afterPiece = true;
            continue;
        }
        escaped.clear();
        if (vocab_.addSpacePrefix && afterPiece) escaped += kEscapedSpace;
        for (char c : f.text) {
            if (c == ' ') escaped += kEscapedSpace;
            else escaped.push_back(c);
        }
        encodeFragment(escaped, out);
        afterPiece = false;
    }
}

void SpmEncoder::encodeFragment(std::string_view text, std::vector<int>& out) const {
    std::vector<Symbol> symbols;
    for (size_t off = 0; off < text.size();) {
        Symbol s;
        s.offset = off;
        s.length = std::min(utf8Length(static_cast<unsigned char>(text[off])), text.size() - off);
        off += s.length;
        s.prev = static_cast<int>(symbols.size()) - 1;
        s.next = off == text.size() ? -1 : static_cast<int>(symbols.size()) + 1;
        symbols.push_back(s);
    }
    if (symbols.empty()) return;

    std::priority_queue<Bigram, std::vector<Bigram>, BigramOrder> queue;
    auto tryPair = [&](int left, int right) {
        if (left < 0 || right < 0) return;
        const std::string_view joined = text.substr(symbols[left].offset, symbols[left].length + symbols[right].length);
        const auto it = pieceToId_.find(joined);
        if (it == pieceToId_.end() || neverFromText_[it->second]) return;
        queue.push({left, right, vocab_.scores[it->second], joined.size()});
    };
    for (int i = 1; i < static_cast<int>(symbols.size()); ++i) tryPair(i - 1, i);

    while (!queue.empty()) {
        const Bigram b = queue.top();
        queue.pop();
        Symbol& l = symbols[b.left];
        Symbol& r = symbols[b.right];
        if (l.length == 0 || r.length == 0 || l.length + r.length != b.length) continue;  // stale pair
        l.length += r.length;
        r.length = 0;
        l.next = r.next;
        if (r.next >= 0) symbols[r.next].prev = b.left;
        tryPair(l.prev, b.left);
        tryPair(b.left, l.next);
    }

    // Every merge yields a vocabulary string, so a final symbol is either a
    // piece or a single character that is none (llama.cpp's resegment reduces
    // to this): spell the latter with byte pieces.
    for (int i = 0; i != -1; i = symbols[i].next) {
        const std::string_view s = text.substr(symbols[i].offset, symbols[i].length);
        if (const auto it = pieceToId_.find(s); it != pieceToId_.end() && !neverFromText_[it->second]) {
            out.push_back(it->second);
            continue;
        }
        for (unsigned char c : s) out.push_back(byteIds_[c]);
    }
}

}  // namespace facet
