#include "tokenizer/sp_model_proto.h"

#include <cstdint>
#include <cstring>

namespace facet {

namespace {

// Field numbers from sentencepiece_model.proto.
enum : uint32_t {
    kModelPieces = 1, kModelTrainerSpec = 2, kModelNormalizerSpec = 3,
    kPiecePiece = 1, kPieceScore = 2, kPieceType = 3,
    kTrainerModelType = 3, kTrainerVocabSize = 4, kTrainerByteFallback = 35,
    kTrainerUnkId = 40, kTrainerBosId = 41, kTrainerEosId = 42, kTrainerPadId = 43,
    kNormName = 1, kNormAddDummyPrefix = 3, kNormRemoveExtraWhitespaces = 4, kNormEscapeWhitespaces = 5,
};
enum : uint32_t { kWireVarint = 0, kWireLen = 2, kWireFixed32 = 5 };
constexpr uint64_t kModelTypeBpe = 2;

void putVarint(std::string& out, uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7F) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

void putTag(std::string& out, uint32_t field, uint32_t wire) { putVarint(out, (uint64_t{field} << 3) | wire); }

void putVarintField(std::string& out, uint32_t field, uint64_t v) {
    putTag(out, field, kWireVarint);
    putVarint(out, v);
}

// int32 fields: negative values are sign-extended to 64 bits (protobuf rule).
void putInt32Field(std::string& out, uint32_t field, int32_t v) {
    putVarintField(out, field, static_cast<uint64_t>(static_cast<int64_t>(v)));
}

void putBytesField(std::string& out, uint32_t field, std::string_view bytes) {
    putTag(out, field, kWireLen);
    putVarint(out, bytes.size());
    out.append(bytes);
}

void putFloatField(std::string& out, uint32_t field, float f) {
    putTag(out, field, kWireFixed32);
    uint32_t bits = 0;
    std::memcpy(&bits, &f, sizeof bits);
    for (int k = 0; k < 4; ++k) out.push_back(static_cast<char>((bits >> (8 * k)) & 0xFF));
}

bool isSingleCodepoint(std::string_view s) {
    if (s.empty()) return false;
    const auto b = static_cast<uint8_t>(s[0]);
    const size_t len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    return s.size() == len;
}

}  // namespace

std::string serializeSpModelProto(const std::vector<SpModelPiece>& pieces, const SpModelIds& ids) {
    std::string out;
    out.reserve(pieces.size() * 24 + 64);
    std::string msg;
    for (const SpModelPiece& p : pieces) {
        msg.clear();
        putBytesField(msg, kPiecePiece, p.piece);
        putFloatField(msg, kPieceScore, p.score);
        putVarintField(msg, kPieceType, static_cast<uint64_t>(p.type));
        putBytesField(out, kModelPieces, msg);
    }

    msg.clear();
    putVarintField(msg, kTrainerModelType, kModelTypeBpe);
    putInt32Field(msg, kTrainerVocabSize, static_cast<int32_t>(pieces.size()));
    putVarintField(msg, kTrainerByteFallback, 1);
    putInt32Field(msg, kTrainerUnkId, ids.unk);
    putInt32Field(msg, kTrainerBosId, ids.bos);
    putInt32Field(msg, kTrainerEosId, ids.eos);
    putInt32Field(msg, kTrainerPadId, ids.pad);
    putBytesField(out, kModelTrainerSpec, msg);

    msg.clear();
    putBytesField(msg, kNormName, "identity");
    putVarintField(msg, kNormAddDummyPrefix, 0);
    putVarintField(msg, kNormRemoveExtraWhitespaces, 0);
    putVarintField(msg, kNormEscapeWhitespaces, 1);
    putBytesField(out, kModelNormalizerSpec, msg);
    return out;
}

Result<std::string> buildGemmaSpModel(const Vocab& v, const std::vector<bool>& neverFromText,
                                      const std::unordered_map<std::string_view, int>& pieceToId) {
    const size_t n = v.pieces.size();
    const char* src = v.source.empty() ? "<vocab>" : v.source.c_str();
    if (neverFromText.size() != n) return errorf("%s: internal: text mask size mismatch", src);

    // Score = -(rank of the first merge that yields the piece).
    std::vector<float> score(n, 0.0f);
    std::vector<bool> merged(n, false);
    std::string left, right, joined;
    for (size_t i = 0; i < v.merges.size(); ++i) {
        if (!splitMerge(v.merges[i], &left, &right))
            return errorf("%s: merge %zu '%.64s' is not of the form 'A B'", src, i, v.merges[i].c_str());
        joined = left + right;
        for (const std::string* part : {&left, &right, &joined}) {
            if (!pieceToId.count(*part))
                return errorf("%s: merge %zu '%.64s' uses or yields '%.64s', which is not in the vocabulary", src,
                              i, v.merges[i].c_str(), part->c_str());
        }
        const int id = pieceToId.at(joined);
        if (!merged[id]) {
            merged[id] = true;
            score[id] = -static_cast<float>(i);
        }
    }

    std::vector<std::string> placeholders;  // stable storage for duplicate stand-ins
    std::vector<SpModelPiece> pieces(n);
    size_t duplicates = 0;
    for (size_t id = 0; id < n; ++id) {
        if (pieceToId.at(v.pieces[id]) != static_cast<int>(id)) ++duplicates;
    }
    placeholders.reserve(duplicates);
    for (size_t id = 0; id < n; ++id) {
        SpModelPiece& p = pieces[id];
        p.piece = v.pieces[id];
        p.score = score[id];
        if (pieceToId.at(v.pieces[id]) != static_cast<int>(id)) {
            placeholders.push_back("<facet-duplicate-" + std::to_string(id) + ">");
            if (pieceToId.count(placeholders.back()))
                return errorf("%s: token %zu collides with Facet's placeholder '%s'", src, id,
                              placeholders.back().c_str());
            p.piece = placeholders.back();
            p.type = PieceType::Control;
            continue;
        }
        if (static_cast<int>(id) == v.unk) {
            p.type = PieceType::Unknown;  // SentencePiece needs exactly one, at unk_id
        } else if (neverFromText[id] || v.types[id] == PieceType::Control || v.types[id] == PieceType::Unknown ||
                   v.types[id] == PieceType::Unused) {
            p.type = PieceType::Control;
        } else if (v.types[id] == PieceType::Byte || v.types[id] == PieceType::UserDefined) {
            p.type = v.types[id];
        } else if (isSingleCodepoint(p.piece) || merged[id]) {
            p.type = PieceType::Normal;
        } else {
            p.type = PieceType::Control;  // no merge forms it: BPE must not either
        }
    }
    return serializeSpModelProto(pieces, SpModelIds{v.unk, v.bos, v.eos, v.pad});
}

}  // namespace facet
