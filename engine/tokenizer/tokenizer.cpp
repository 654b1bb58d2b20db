#include "tokenizer/tokenizer.h"

#include <array>
#include <cstdio>
#include <unordered_map>

#include <sentencepiece_processor.h>

#include "model/gguf_file.h"
#include "tokenizer/sp_model_proto.h"
#include "tokenizer/spm_encoder.h"
#include "tokenizer/utf8_stream.h"

namespace facet {

namespace {

// Gemma 4 protocol markers. GGUF types several of them USER_DEFINED, which
// both SentencePiece and llama.cpp would match inside plain text; Facet
// never lets text become one of them.
constexpr std::string_view kProtocolMarkers[] = {
    "<|turn>", "<turn|>", "<|think|>", "<|channel>", "<channel|>", "<|tool>", "<tool|>",
    "<|tool_call>", "<tool_call|>", "<|tool_response>", "<tool_response|>", "<|\"|>",
    "<|image>", "<image|>", "<|audio>", "<audio|>", "<|video>", "<video|>",
    "<|image|>", "<|audio|>", "<|video|>",
};

// Added (non-NORMAL) pieces spelled like Gemma 4 markers, "<|x>" or "<x|>",
// count as markers too, so a future marker is covered without a code change.
bool looksLikeMarker(std::string_view p) {
    if (p.size() < 4 || p.front() != '<' || p.back() != '>') return false;
    return p.substr(0, 2) == "<|" || p.substr(p.size() - 2) == "|>";
}

const std::string kEmpty;

}  // namespace

struct Tokenizer::Impl {
    Vocab vocab;  // merges are dropped once the model is built
    std::vector<bool> control;   // isControl()
    std::vector<int16_t> byte;   // byte value of <0xXX> pieces, else -1
    std::unordered_map<std::string_view, int> pieceToId;  // views into vocab.pieces
    sentencepiece::SentencePieceProcessor sp;   // Gemma4Bpe
    std::unique_ptr<SpmEncoder> spm;            // LlamaSpm (refers to vocab and pieceToId)
};

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::~Tokenizer() = default;

Result<std::unique_ptr<Tokenizer>> Tokenizer::fromVocab(Vocab vocab) {
    FACET_TRY(validateVocab(vocab));
    auto impl = std::make_unique<Impl>();
    impl->vocab = std::move(vocab);
    const Vocab& v = impl->vocab;
    const size_t n = v.pieces.size();

    impl->pieceToId.reserve(n);
    for (size_t id = 0; id < n; ++id)  // a repeated string maps to its last id, as in llama.cpp
        impl->pieceToId[v.pieces[id]] = static_cast<int>(id);

    impl->control.assign(n, false);
    impl->byte.assign(n, -1);
    for (size_t id = 0; id < n; ++id) {
        const PieceType t = v.types[id];
        const std::string& p = v.pieces[id];
        bool marker = t != PieceType::Normal && t != PieceType::Byte && looksLikeMarker(p);
        for (std::string_view m : kProtocolMarkers) marker = marker || p == m;
        impl->control[id] = marker || t == PieceType::Control || t == PieceType::Unknown || t == PieceType::Unused;
        uint8_t b = 0;
        if (t == PieceType::Byte && parseBytePiece(p, &b)) impl->byte[id] = b;
    }
    for (int id : {v.bos, v.eos, v.unk, v.pad})
        if (id >= 0) impl->control[id] = true;

    if (v.model == VocabModel::LlamaSpm) {
        impl->spm = std::make_unique<SpmEncoder>(impl->vocab, impl->pieceToId, impl->control);
        return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
    }
    FACET_ASSIGN(std::string proto, buildGemmaSpModel(v, impl->control, impl->pieceToId));
    const auto status = impl->sp.LoadFromSerializedProto(proto);
    if (!status.ok())
        return errorf("%s: SentencePiece rejected the tokenizer model: %s", v.source.c_str(),
                      status.ToString().c_str());
    impl->vocab.merges = {};
    impl->vocab.merges.shrink_to_fit();
    return std::unique_ptr<Tokenizer>(new Tokenizer(std::move(impl)));
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::fromTokenizerJson(const std::string& path) {
    FACET_ASSIGN(Vocab v, vocabFromTokenizerJson(path));
    return fromVocab(std::move(v));
}

Result<std::unique_ptr<Tokenizer>> Tokenizer::fromGguf(const GgufFile& file) {
    FACET_ASSIGN(Vocab v, vocabFromGguf(file));
    return fromVocab(std::move(v));
}

std::vector<int> Tokenizer::encode(std::string_view text) const {
    std::vector<int> out;
    if (impl_->spm) {
        impl_->spm->encode(text, out);
        return out;
    }
    // llama.cpp's gemma4 pre-split: runs of '\n' and runs of anything else.
    // A newline run that is itself a token is emitted whole.
    size_t i = 0;
    while (i < text.size()) {
        const bool newlines = text[i] == '\n';
        size_t j = i;
        while (j < text.size() && (text[j] == '\n') == newlines) ++j;
        const std::string_view chunk = text.substr(i, j - i);
        i = j;
        if (newlines) {
            const auto it = impl_->pieceToId.find(chunk);
            if (it != impl_->pieceToId.end() && !impl_->control[it->second]) {
                out.push_back(it->second);
                continue;
            }
        }
        encodeChunk(chunk, out);
    }
    return out;
}

void Tokenizer::encodeChunk(std::string_view chunk, std::vector<int>& out) const {
    std::vector<int> ids;
    if (impl_->sp.Encode(chunk, &ids).ok()) {
        out.insert(out.end(), ids.begin(), ids.end());
        return;
    }
    // SentencePiece only fails when unloaded; spelling bytes keeps the text intact.
    for (unsigned char c : chunk) {
        std::array<char, 7> name{};
        std::snprintf(name.data(), name.size(), "<0x%02X>", c);
        out.push_back(impl_->pieceToId.at(std::string_view(name.data(), 6)));
    }
}

std::vector<int> Tokenizer::encodeWithBos(std::string_view text) const {
    std::vector<int> out{impl_->vocab.bos};
    const std::vector<int> body = encode(text);
    out.insert(out.end(), body.begin(), body.end());
    return out;
}

std::vector<int> Tokenizer::encodeWithSpecials(std::string_view text) const {
    std::vector<int> out;
    if (impl_->vocab.addBos) out.push_back(impl_->vocab.bos);
    const std::vector<int> body = encode(text);
    out.insert(out.end(), body.begin(), body.end());
    if (impl_->vocab.addEos) out.push_back(impl_->vocab.eos);
    return out;
}

void Tokenizer::appendRawBytes(int id, bool renderSpecial, std::string& out) const {
    if (id < 0 || id >= vocabSize()) return;
    const std::string& p = impl_->vocab.pieces[id];
    if (impl_->control[id]) {
        if (renderSpecial) out += p;
        return;
    }
    if (impl_->byte[id] >= 0) {
        out.push_back(static_cast<char>(impl_->byte[id]));
        return;
    }
    static constexpr std::string_view kSpace = "\xE2\x96\x81";  // U+2581
    size_t at = 0;
    while (true) {
        const size_t hit = p.find(kSpace, at);
        out.append(p, at, hit == std::string::npos ? std::string::npos : hit - at);
        if (hit == std::string::npos) break;
        out.push_back(' ');
        at = hit + kSpace.size();
    }
}

std::string Tokenizer::decode(const std::vector<int>& ids, bool renderSpecial) const {
    std::string raw;
    for (int id : ids) appendRawBytes(id, renderSpecial, raw);
    return sanitizeUtf8(raw);
}

const std::string& Tokenizer::piece(int id) const {
    return id >= 0 && id < vocabSize() ? impl_->vocab.pieces[id] : kEmpty;
}

std::optional<int> Tokenizer::idOf(std::string_view piece) const {
    const auto it = impl_->pieceToId.find(piece);
    if (it == impl_->pieceToId.end()) return std::nullopt;
    return it->second;
}

PieceType Tokenizer::type(int id) const {
    return id >= 0 && id < vocabSize() ? impl_->vocab.types[id] : PieceType::Unused;
}

int Tokenizer::vocabSize() const { return static_cast<int>(impl_->vocab.pieces.size()); }
int Tokenizer::bosId() const { return impl_->vocab.bos; }
int Tokenizer::eosId() const { return impl_->vocab.eos; }
int Tokenizer::padId() const { return impl_->vocab.pad; }
int Tokenizer::unkId() const { return impl_->vocab.unk; }
bool Tokenizer::addBos() const { return impl_->vocab.addBos; }
bool Tokenizer::addEos() const { return impl_->vocab.addEos; }
VocabModel Tokenizer::model() const { return impl_->vocab.model; }

bool Tokenizer::isControl(int id) const { return id >= 0 && id < vocabSize() && impl_->control[id]; }

}  // namespace facet
