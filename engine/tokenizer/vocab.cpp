#include "tokenizer/vocab.h"

#include <array>
#include <cmath>
#include <fstream>
#include <optional>

#include <nlohmann/json.hpp>

#include "model/gguf_file.h"
#include "tokenizer/utf8_stream.h"

namespace facet {

namespace {

// Bounds that no real vocabulary comes near; they keep hostile files from
// steering allocations or id arithmetic (ids are int).
constexpr size_t kMaxVocab = size_t{1} << 24;
constexpr size_t kMaxMerges = size_t{1} << 24;
constexpr size_t kMaxPieceBytes = 4096;

int hexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

}  // namespace

bool parseBytePiece(const std::string& piece, uint8_t* value) {
    if (piece.size() != 6 || piece.compare(0, 3, "<0x") != 0 || piece[5] != '>') return false;
    const int hi = hexDigit(piece[3]), lo = hexDigit(piece[4]);
    if (hi < 0 || lo < 0) return false;
    if (value) *value = static_cast<uint8_t>(hi * 16 + lo);
    return true;
}

bool splitMerge(const std::string& merge, std::string* left, std::string* right) {
    const size_t pos = merge.find(' ', 1);
    if (pos == std::string::npos || pos + 1 >= merge.size()) return false;
    if (left) *left = merge.substr(0, pos);
    if (right) *right = merge.substr(pos + 1);
    return true;
}

Status validateVocab(const Vocab& v) {
    const char* src = v.source.empty() ? "<vocab>" : v.source.c_str();
    const size_t n = v.pieces.size();
    if (n == 0) return errorf("%s: the vocabulary is empty", src);
    if (n > kMaxVocab) return errorf("%s: %zu pieces, more than the limit %zu", src, n, kMaxVocab);
    if (v.types.size() != n)
        return errorf("%s: %zu token types for %zu pieces", src, v.types.size(), n);
    const std::pair<const char*, int> ids[] = {{"bos", v.bos}, {"eos", v.eos}, {"unk", v.unk}, {"pad", v.pad}};
    for (const auto& [name, id] : ids) {
        const bool optional = std::string_view(name) == "pad";  // -1: the model has no pad token
        if (id >= static_cast<int64_t>(n) || id < (optional ? -1 : 0))
            return errorf("%s: %s token id %d is outside the vocabulary [0, %zu)", src, name, id, n);
    }
    std::array<int, 256> byteIds;
    byteIds.fill(-1);
    for (size_t i = 0; i < n; ++i) {
        const std::string& p = v.pieces[i];
        const auto t = static_cast<int>(v.types[i]);
        if (p.empty()) return errorf("%s: token %zu is an empty string", src, i);
        if (p.size() > kMaxPieceBytes)
            return errorf("%s: token %zu is %zu bytes long (limit %zu)", src, i, p.size(), kMaxPieceBytes);
        if (!isValidUtf8(p)) return errorf("%s: token %zu is not valid UTF-8", src, i);
        if (t < 1 || t > 6) return errorf("%s: token %zu has type %d (expected 1..6)", src, i, t);
        if (v.types[i] != PieceType::Byte) continue;
        uint8_t b = 0;
        if (!parseBytePiece(p, &b))
            return errorf("%s: token %zu '%s' has type BYTE but is not of the form <0xXX>", src, i, p.c_str());
        if (byteIds[b] >= 0)
            return errorf("%s: byte piece %s appears twice (ids %d and %zu)", src, p.c_str(), byteIds[b], i);
        byteIds[b] = static_cast<int>(i);
    }
    for (int b = 0; b < 256; ++b) {
        if (byteIds[b] < 0)  // byte fallback must be able to spell every byte
            return errorf("%s: byte piece <0x%02X> is missing (byte fallback needs all 256)", src, b);
    }
    if (v.model == VocabModel::LlamaSpm && v.scores.size() != n)
        return errorf("%s: %zu scores for %zu pieces", src, v.scores.size(), n);
    for (size_t i = 0; i < v.scores.size(); ++i) {
        if (!std::isfinite(v.scores[i]))  // the merge queue orders by score; NaN would break it
            return errorf("%s: token %zu has a non-finite score", src, i);
    }
    if (v.merges.size() > kMaxMerges)
        return errorf("%s: %zu merges, more than the limit %zu", src, v.merges.size(), kMaxMerges);
    for (size_t i = 0; i < v.merges.size(); ++i) {
        if (!splitMerge(v.merges[i], nullptr, nullptr))
            return errorf("%s: merge %zu '%.64s' is not of the form 'A B'", src, i, v.merges[i].c_str());
    }
    return Status::success();
}

// ---------------------------------------------------------------- GGUF

namespace {

Result<const GgufValue*> ggufArray(const GgufFile& f, const char* key, GgufValueType elem, bool required) {
    const GgufValue* v = f.find(key);
    if (!v) {
        if (required) return errorf("%s: key %s is missing", f.path().c_str(), key);
        return static_cast<const GgufValue*>(nullptr);
    }
    if (v->type != GgufValueType::Array)
        return errorf("%s: key %s is a %s, expected an array", f.path().c_str(), key, ggufValueTypeName(v->type));
    const GgufValueType t = v->arrayType;
    const bool isString = t == GgufValueType::String;
    const bool wantString = elem == GgufValueType::String;
    const bool isInt = !isString && t != GgufValueType::Float32 && t != GgufValueType::Float64 &&
                       t != GgufValueType::Array && t < GgufValueType::Count;
    if (wantString ? !isString : !isInt)
        return errorf("%s: key %s is an array of %s, expected %s", f.path().c_str(), key,
                      ggufValueTypeName(v->arrayType), wantString ? "strings" : "integers");
    return v;
}

Status readGgufId(const GgufFile& f, const char* key, int* out) {
    FACET_ASSIGN(std::optional<int64_t> v, f.getInt(key));
    if (!v) return Status::success();
    if (*v < -1 || *v > static_cast<int64_t>(kMaxVocab))
        return errorf("%s: key %s = %lld is not a token id", f.path().c_str(), key, static_cast<long long>(*v));
    *out = static_cast<int>(*v);
    return Status::success();
}

}  // namespace

Result<Vocab> vocabFromGguf(const GgufFile& f) {
    const char* path = f.path().c_str();
    FACET_ASSIGN(std::optional<std::string> model, f.getString("tokenizer.ggml.model"));
    if (!model) return errorf("%s: key tokenizer.ggml.model is missing (no tokenizer in this file)", path);
    Vocab v;
    v.source = f.path();
    if (*model == "llama") {
        v.model = VocabModel::LlamaSpm;
    } else if (*model != "gemma4") {
        return errorf("%s: tokenizer.ggml.model is '%s'; Facet reads the Gemma 4 ('gemma4') and SentencePiece "
                      "('llama') tokenizers", path, model->c_str());
    }
    FACET_ASSIGN(std::optional<bool> spacePrefix, f.getBool("tokenizer.ggml.add_space_prefix"));
    if (v.model == VocabModel::Gemma4Bpe && spacePrefix && *spacePrefix)
        return errorf("%s: tokenizer.ggml.add_space_prefix is true; Gemma 4 tokenizes without a dummy prefix", path);
    v.addSpacePrefix = v.model == VocabModel::LlamaSpm && spacePrefix.value_or(true);  // llama.cpp's SPM default

    FACET_ASSIGN(const GgufValue* tokens, ggufArray(f, "tokenizer.ggml.tokens", GgufValueType::String, true));
    FACET_ASSIGN(const GgufValue* types, ggufArray(f, "tokenizer.ggml.token_type", GgufValueType::Int32, false));
    const bool spm = v.model == VocabModel::LlamaSpm;
    FACET_ASSIGN(const GgufValue* merges, ggufArray(f, "tokenizer.ggml.merges", GgufValueType::String, !spm));
    const GgufValue* scores = nullptr;
    if (spm) {
        scores = f.find("tokenizer.ggml.scores");
        if (!scores) return errorf("%s: key tokenizer.ggml.scores is missing (a 'llama' vocabulary needs it)", path);
        if (scores->type != GgufValueType::Array || scores->arrayType != GgufValueType::Float32)
            return errorf("%s: key tokenizer.ggml.scores must be an array of float32", path);
    }
    const size_t n = tokens->strings.size();
    if (n > kMaxVocab) return errorf("%s: tokenizer.ggml.tokens has %zu entries (limit %zu)", path, n, kMaxVocab);
    if (types && types->ints.size() != n)
        return errorf("%s: tokenizer.ggml.token_type has %zu entries, tokenizer.ggml.tokens has %zu", path,
                      types->ints.size(), n);
    v.pieces = tokens->strings;
    v.types.resize(n, PieceType::Normal);
    for (size_t i = 0; i < n; ++i) {
        if (types) {
            const int64_t t = types->ints[i];
            if (t < 1 || t > 6)
                return errorf("%s: tokenizer.ggml.token_type[%zu] = %lld (expected 1..6)", path, i,
                              static_cast<long long>(t));
            v.types[i] = static_cast<PieceType>(t);
        } else if (parseBytePiece(v.pieces[i], nullptr)) {
            v.types[i] = PieceType::Byte;
        }
    }
    if (merges) v.merges = merges->strings;
    if (scores) {
        if (scores->floats.size() != n)
            return errorf("%s: tokenizer.ggml.scores has %zu entries, tokenizer.ggml.tokens has %zu", path,
                          scores->floats.size(), n);
        v.scores.assign(scores->floats.begin(), scores->floats.end());
    }
    FACET_TRY(readGgufId(f, "tokenizer.ggml.bos_token_id", &v.bos));
    FACET_TRY(readGgufId(f, "tokenizer.ggml.eos_token_id", &v.eos));
    FACET_TRY(readGgufId(f, "tokenizer.ggml.unknown_token_id", &v.unk));
    FACET_TRY(readGgufId(f, "tokenizer.ggml.padding_token_id", &v.pad));
    FACET_ASSIGN(std::optional<bool> addBos, f.getBool("tokenizer.ggml.add_bos_token"));
    v.addBos = addBos.value_or(true);
    FACET_ASSIGN(std::optional<bool> addEos, f.getBool("tokenizer.ggml.add_eos_token"));
    v.addEos = addEos.value_or(false);
    if (!types) {  // without token_type the special ids still must not be text
        for (int id : {v.bos, v.eos, v.pad})
            if (id >= 0 && static_cast<size_t>(id) < n) v.types[id] = PieceType::Control;
        if (v.unk >= 0 && static_cast<size_t>(v.unk) < n) v.types[v.unk] = PieceType::Unknown;
    }
    FACET_TRY(validateVocab(v));
    return v;
}

// ---------------------------------------------------------- tokenizer.json

namespace {

using nlohmann::json;

std::optional<int> findPiece(const std::vector<std::string>& pieces, const std::string& piece) {
    for (size_t i = 0; i < pieces.size(); ++i)
        if (pieces[i] == piece) return static_cast<int>(i);
    return std::nullopt;
}

Result<Vocab> parseTokenizerJson(const json& j, const std::string& path) {
    const char* p = path.c_str();
    if (!j.is_object() || !j.contains("model") || !j["model"].is_object())
        return errorf("%s: no 'model' object (not a tokenizers JSON file)", p);
    const json& model = j["model"];
    if (model.contains("type") && model["type"] != "BPE")
        return errorf("%s: model.type is %s; Gemma 4 needs a BPE model", p, model["type"].dump().c_str());
    if (!model.value("byte_fallback", false))
        return errorf("%s: model.byte_fallback is not true; Gemma 4 relies on byte fallback", p);
    if (!model.contains("vocab") || !model["vocab"].is_object())
        return errorf("%s: model.vocab is missing or not an object", p);
    const json& vocab = model["vocab"];
    if (vocab.size() > kMaxVocab) return errorf("%s: model.vocab has %zu entries (limit %zu)", p, vocab.size(), kMaxVocab);

    Vocab v;
    v.source = path;
    const size_t n = vocab.size();
    v.pieces.resize(n);
    std::vector<bool> seen(n, false);
    for (const auto& [piece, idv] : vocab.items()) {
        if (!idv.is_number_integer()) return errorf("%s: model.vocab['%.64s'] is not an integer id", p, piece.c_str());
        const int64_t id = idv.get<int64_t>();
        if (id < 0 || static_cast<size_t>(id) >= n)
            return errorf("%s: model.vocab['%.64s'] = %lld is outside [0, %zu) (ids must be dense)", p,
                          piece.c_str(), static_cast<long long>(id), n);
        if (seen[id]) return errorf("%s: model.vocab gives id %lld twice", p, static_cast<long long>(id));
        seen[id] = true;
        v.pieces[id] = piece;
    }

    // Added tokens override the pieces of their ids. Ones beyond model.vocab
    // are skipped: the BPE model and the embedding have no row for them (the
    // published file lists Gemma 3's <image_soft_token> at id 262144).
    std::vector<char> added(n, 0);  // 0 no, 1 added, 2 added + special
    if (j.contains("added_tokens")) {
        const json& at = j["added_tokens"];
        if (!at.is_array()) return errorf("%s: added_tokens is not an array", p);
        for (const json& t : at) {
            if (!t.is_object() || !t.contains("id") || !t["id"].is_number_integer() || !t.contains("content") ||
                !t["content"].is_string())
                return errorf("%s: added_tokens entry %s lacks an integer id or a string content", p,
                              t.dump().substr(0, 80).c_str());
            const int64_t id = t["id"].get<int64_t>();
            if (id < 0) return errorf("%s: added token id %lld is negative", p, static_cast<long long>(id));
            if (static_cast<size_t>(id) >= n) continue;
            v.pieces[id] = t["content"].get<std::string>();
            added[id] = t.value("special", false) ? 2 : 1;
        }
    }
    v.types.resize(v.pieces.size());
    for (size_t i = 0; i < v.pieces.size(); ++i) {
        const bool isByte = parseBytePiece(v.pieces[i], nullptr);
        if (added[i] == 2) v.types[i] = PieceType::Control;
        else if (isByte) v.types[i] = PieceType::Byte;
        else v.types[i] = added[i] ? PieceType::UserDefined : PieceType::Normal;
    }

    struct Special { const char* name; std::string piece; int* id; };
    const std::string unkPiece = model.contains("unk_token") && model["unk_token"].is_string()
                                     ? model["unk_token"].get<std::string>() : "<unk>";
    const Special specials[] = {{"bos", "<bos>", &v.bos}, {"eos", "<eos>", &v.eos},
                                {"pad", "<pad>", &v.pad}, {"unk", unkPiece, &v.unk}};
    for (const Special& s : specials) {
        const std::optional<int> id = findPiece(v.pieces, s.piece);
        if (!id) return errorf("%s: the %s token '%s' is not in the vocabulary", p, s.name, s.piece.c_str());
        *s.id = *id;
    }
    v.types[v.unk] = PieceType::Unknown;

    if (!model.contains("merges") || !model["merges"].is_array())
        return errorf("%s: model.merges is missing or not an array", p);
    const json& merges = model["merges"];
    if (merges.size() > kMaxMerges) return errorf("%s: %zu merges (limit %zu)", p, merges.size(), kMaxMerges);
    v.merges.reserve(merges.size());
    for (size_t i = 0; i < merges.size(); ++i) {
        const json& m = merges[i];
        if (m.is_string()) {
            v.merges.push_back(m.get<std::string>());
        } else if (m.is_array() && m.size() == 2 && m[0].is_string() && m[1].is_string()) {
            const auto& a = m[0].get_ref<const std::string&>();
            if (a.empty() || a.find(' ') != std::string::npos)  // "A B" could not be split back
                return errorf("%s: model.merges[%zu] has a left part with a space", p, i);
            v.merges.push_back(a + ' ' + m[1].get<std::string>());
        } else {
            return errorf("%s: model.merges[%zu] is neither \"A B\" nor [A, B]", p, i);
        }
    }

    v.addBos = true;  // Gemma prompts always start with <bos>; the template processor agrees
    if (j.contains("post_processor") && j["post_processor"].is_object() &&
        j["post_processor"].value("type", "") == "TemplateProcessing" && j["post_processor"].contains("single")) {
        const std::string single = j["post_processor"]["single"].dump();
        v.addBos = single.find("\"<bos>\"") != std::string::npos;
    }
    FACET_TRY(validateVocab(v));
    return v;
}

}  // namespace

Result<Vocab> vocabFromTokenizerJson(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return errorf("%s: cannot open the tokenizer file", path.c_str());
    json j;
    try {
        j = json::parse(in);
    } catch (const json::exception& e) {
        return errorf("%s: not valid JSON: %s", path.c_str(), e.what());
    }
    try {
        return parseTokenizerJson(j, path);
    } catch (const json::exception& e) {  // a value of an unexpected JSON type
        return errorf("%s: unexpected tokenizer.json content: %s", path.c_str(), e.what());
    }
}

}  // namespace facet
