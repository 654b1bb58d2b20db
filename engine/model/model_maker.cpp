#include "model/model_maker.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>

#include "core/parallel.h"
#include "model/gguf_writer.h"
#include "model/quantize.h"
#include "model/synthetic_vocab.h"
#include "model/tensor_list.h"
#include "model/hf_export.h"
#include "model/safetensors_writer.h"

namespace facet {
namespace {

// Values are a function of (seed, tensor name) only, so the GGUF and HF
// writers produce the same model for the same seed. Each block of kBlock
// values has its own generator, so big tensors fill on all cores.
std::vector<float> randomValues(const TensorSpec& s, uint64_t seed) {
    constexpr int64_t kBlock = 1 << 20;
    uint64_t h = seed * 0x9E3779B97F4A7C15ull;
    for (char c : s.name) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001B3ull;
    int64_t n = 1;
    for (int64_t e : s.ne) n *= e;
    std::vector<float> v(static_cast<size_t>(n));
    float scale = 1.f, offset = 0.f;
    switch (s.role) {
        case TensorRole::TokenEmbd:
        case TensorRole::Output: scale = 1.f / std::sqrt(static_cast<float>(s.ne[0])); break;
        case TensorRole::LayerOutputScale: scale = 0.2f, offset = 0.8f; break;
        default:
            if (s.isNorm) scale = 0.4f, offset = 1.f;                          // norms and scales near 1, never 0
            else scale = std::sqrt(3.f / static_cast<float>(s.ne[0]));  // unit-variance outputs
    }
    parallelFor((n + kBlock - 1) / kBlock, 1, [&](int64_t b0, int64_t b1) {
        for (int64_t b = b0; b < b1; ++b) {
            std::mt19937_64 rng(h + static_cast<uint64_t>(b) * 0xD1B54A32D192ED03ull);
            std::uniform_real_distribution<float> u(-1.f, 1.f);
            for (int64_t i = b * kBlock; i < std::min(n, (b + 1) * kBlock); ++i) {
                float x = offset + scale * u(rng);
                if (x == 0.f) x = scale * 0.5f;  // tests want non-zero inputs
                v[static_cast<size_t>(i)] = x;
            }
        }
    });
    return v;
}

std::vector<uint8_t> encode(GgmlType t, const std::vector<float>& v, int64_t rowLen) {
    std::vector<uint8_t> out(static_cast<size_t>(rowBytes(t, rowLen) * (v.size() / rowLen)));
    const uint64_t rb = rowBytes(t, rowLen);
    const int64_t rows = static_cast<int64_t>(v.size()) / rowLen;
    parallelFor(rows, std::max<int64_t>(1, (1 << 18) / rowLen), [&](int64_t r0, int64_t r1) {
        for (int64_t r = r0; r < r1; ++r) quantizeRow(t, &v[r * rowLen], out.data() + r * rb, rowLen);
    });
    return out;
}

// Gate (second = false) or up rows of every expert of a fused gate_up tensor
// {H, 2F, E}: expert e's rows [0, F) or [F, 2F).
std::vector<float> expertHalf(const std::vector<float>& fused, const TensorSpec& s, bool second) {
    const size_t H = static_cast<size_t>(s.ne[0]), F = static_cast<size_t>(s.ne[1] / 2);
    const size_t E = static_cast<size_t>(s.ne[2]);
    std::vector<float> out(H * F * E);
    for (size_t e = 0; e < E; ++e) {
        const float* src = fused.data() + (e * 2 + (second ? 1 : 0)) * F * H;
        std::copy(src, src + F * H, out.data() + e * F * H);
    }
    return out;
}

Result<Vocab> vocabFor(const ModelDesc& d, const MakeOptions& opt) {
    if (opt.tokenizerJson.empty()) return makeSyntheticVocab(d.vocab);
    FACET_ASSIGN(Vocab v, vocabFromTokenizerJson(opt.tokenizerJson));
    if (static_cast<int>(v.pieces.size()) != d.vocab)
        return errorf("%s has %zu pieces but the model vocabulary is %d", opt.tokenizerJson.c_str(), v.pieces.size(),
                      d.vocab);
    return v;
}

}  // namespace

GgmlType typeForRow(GgmlType wanted, int64_t rowLength) {
    const uint32_t block = typeInfo(wanted).blockElems;
    if (block && rowLength % block == 0) return wanted;
    if (rowLength % 32 == 0) return GgmlType::Q8_0;
    return GgmlType::F32;
}

Result<GgufWriter> ggufMetadataFor(const ModelDesc& d, const Vocab& vocab) {
    GgufWriter w;
    w.addString("general.architecture", "gemma4");
    w.addString("general.type", "model");
    w.addString("general.name", d.name);
    w.addString("general.description", "random-weight Gemma 4 test model written by facet-mkmodel");
    w.addUInt32("gemma4.context_length", static_cast<uint32_t>(d.contextLength));
    w.addUInt32("gemma4.embedding_length", static_cast<uint32_t>(d.hidden));
    w.addUInt32("gemma4.block_count", static_cast<uint32_t>(d.nLayers));
    std::vector<int64_t> ffn, kv, heads;
    std::vector<int64_t> pattern;
    for (const LayerDesc& l : d.layers) {
        ffn.push_back(l.ffnWidth);
        kv.push_back(l.nKvHeads);
        heads.push_back(l.nHeads);
        pattern.push_back(l.attn == AttnKind::Sliding);
    }
    w.addIntArray("gemma4.feed_forward_length", GgufValueType::UInt32, ffn);
    w.addIntArray("gemma4.attention.head_count", GgufValueType::UInt32, heads);
    w.addIntArray("gemma4.attention.head_count_kv", GgufValueType::UInt32, kv);
    w.addFloat32("gemma4.rope.freq_base", 1e6f);
    w.addFloat32("gemma4.rope.freq_base_swa", 1e4f);
    for (const LayerDesc& l : d.layers)  // the keys hold one base per kind
        if (l.ropeBase != (l.attn == AttnKind::Sliding ? 1e4f : 1e6f))
            return errorf("GGUF holds one rope base per attention kind");
    w.addFloat32("gemma4.attention.layer_norm_rms_epsilon", d.rmsEps);
    w.addUInt32("gemma4.attention.key_length", static_cast<uint32_t>(d.headDimFull()));
    w.addUInt32("gemma4.attention.value_length", static_cast<uint32_t>(d.headDimFull()));
    w.addUInt32("gemma4.attention.key_length_swa", static_cast<uint32_t>(d.headDimSliding()));
    w.addUInt32("gemma4.attention.value_length_swa", static_cast<uint32_t>(d.headDimSliding()));
    w.addFloat32("gemma4.final_logit_softcapping", d.finalSoftcap);
    w.addUInt32("gemma4.attention.sliding_window", static_cast<uint32_t>(d.slidingWindow));
    w.addUInt32("gemma4.attention.shared_kv_layers", static_cast<uint32_t>(d.nKvShared));
    w.addUInt32("gemma4.embedding_length_per_layer_input", static_cast<uint32_t>(d.pleDim));
    w.addIntArray("gemma4.attention.sliding_window_pattern", GgufValueType::Bool, pattern);
    w.addUInt32("gemma4.rope.dimension_count", static_cast<uint32_t>(d.headDimFull()));
    w.addUInt32("gemma4.rope.dimension_count_swa", static_cast<uint32_t>(d.headDimSliding()));
    if (d.hasMoe()) {
        w.addUInt32("gemma4.expert_count", static_cast<uint32_t>(d.nExperts));
        w.addUInt32("gemma4.expert_used_count", static_cast<uint32_t>(d.nExpertsUsed));
        w.addUInt32("gemma4.expert_feed_forward_length", static_cast<uint32_t>(d.expertFfn));
    }
    w.addString("tokenizer.ggml.model", "gemma4");
    std::vector<int64_t> types;
    for (PieceType t : vocab.types) types.push_back(static_cast<int64_t>(t));
    w.addStringArray("tokenizer.ggml.tokens", vocab.pieces);
    w.addFloatArray("tokenizer.ggml.scores", GgufValueType::Float32, std::vector<double>(vocab.pieces.size(), -1000.0));
    w.addIntArray("tokenizer.ggml.token_type", GgufValueType::Int32, types);
    w.addStringArray("tokenizer.ggml.merges", vocab.merges);
    w.addUInt32("tokenizer.ggml.bos_token_id", static_cast<uint32_t>(vocab.bos));
    w.addUInt32("tokenizer.ggml.eos_token_id", static_cast<uint32_t>(vocab.eos));
    w.addUInt32("tokenizer.ggml.unknown_token_id", static_cast<uint32_t>(vocab.unk));
    w.addUInt32("tokenizer.ggml.padding_token_id", static_cast<uint32_t>(vocab.pad));
    w.addBool("tokenizer.ggml.add_bos_token", true);
    w.addBool("tokenizer.ggml.add_space_prefix", false);

    return w;
}

Status writeRandomGguf(const ModelDesc& d, const MakeOptions& opt, const std::string& path) {
    if (std::string e = validateDesc(d); !e.empty()) return errorf("cannot write %s: %s", path.c_str(), e.c_str());
    FACET_ASSIGN(Vocab vocab, vocabFor(d, opt));
    FACET_ASSIGN(GgufWriter w, ggufMetadataFor(d, vocab));
    forEachTensor(d, [&](const TensorSpec& s) {
        if (s.need == Need::Ignored || s.role == TensorRole::Output) return;
        std::vector<float> v = s.role == TensorRole::RopeFreqs ? d.ropeFreqFactors : randomValues(s, opt.seed);
        const GgmlType t = s.role == TensorRole::RopeFreqs ? GgmlType::F32
                           : s.isNorm                       ? opt.normType
                                                            : typeForRow(opt.weightType, s.ne[0]);
        if (s.role == TensorRole::GateUpExps && opt.splitExperts) {
            // Rows are quantized one by one, so the halves encode exactly as the fused rows would.
            for (const TensorSpec& half : splitGateUp(s)) {
                const std::vector<float> h = expertHalf(v, s, half.role == TensorRole::UpExps);
                w.addTensor(half.name, t, half.ne, encode(t, h, half.ne[0]));
            }
            return;
        }
        w.addTensor(s.name, t, s.ne, encode(t, v, s.ne[0]));
    });
    // k=v layers carry no attn_v: that is how GGUF says V = K (spec §3.2).
    return w.write(path);
}

Status writeRandomHfFolder(const ModelDesc& d, const MakeOptions& opt, const std::string& dir) {
    if (std::string e = validateDesc(d); !e.empty()) return errorf("cannot write %s: %s", dir.c_str(), e.c_str());
    const GgmlType t = opt.weightType;
    if (t != GgmlType::F32 && t != GgmlType::F16 && t != GgmlType::BF16)
        return errorf("an HF folder holds F32, F16 or BF16 weights, not %s", typeName(t).c_str());
    if (opt.splitExperts) return errorf("cannot write %s: an HF folder holds the experts' gate_up fused", dir.c_str());
    FACET_ASSIGN(Vocab vocab, vocabFor(d, opt));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return errorf("%s: %s", dir.c_str(), ec.message().c_str());
    FACET_TRY(writeHfConfig(d, dir + "/config.json"));
    if (opt.tokenizerJson.empty()) {
        FACET_TRY(writeTokenizerJson(vocab, dir + "/tokenizer.json"));
    } else {
        std::filesystem::copy_file(opt.tokenizerJson, dir + "/tokenizer.json",
                                   std::filesystem::copy_options::overwrite_existing, ec);
        if (ec) return errorf("%s: %s", opt.tokenizerJson.c_str(), ec.message().c_str());
    }
    SafetensorsWriter st;
    Status status;
    forEachTensor(d, [&](const TensorSpec& s) {
        if (!status.ok() || s.need == Need::Ignored) return;
        const std::string hf = hfNameFor(s.name);
        if (hf.empty()) return;  // rope_freqs, output: carried by config / tied
        const std::vector<float> v = randomValues(s, opt.seed);
        std::vector<int64_t> shape(s.ne.rbegin(), s.ne.rend());
        const GgmlType tt = s.isNorm ? opt.normType : t;
        status = st.add(hf, tt, shape, encode(tt, v, s.ne[0]));
    });
    FACET_TRY(status);
    return st.write(dir + "/model.safetensors");
}

}  // namespace facet
