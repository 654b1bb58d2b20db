#include "vision/projector_maker.h"

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "model/gguf_writer.h"
#include "model/quantize.h"

namespace facet {

bool projectorShapeByName(const std::string& name, VisionDesc& d) {
    d = VisionDesc();
    if (name == "e2b") {
        d.layers = 16, d.width = 768, d.heads = 12, d.headDim = 64, d.ffn = 3072, d.textWidth = 1536;
    } else if (name == "31b") {
        d.layers = 27, d.width = 1152, d.heads = 16, d.headDim = 72, d.ffn = 4304, d.textWidth = 5376;
    } else {
        return false;
    }
    d.patchSize = 16, d.poolKernel = 3, d.positionRows = 10240;
    return true;
}

Status writeRandomProjector(const VisionDesc& d, const ProjectorOptions& o, const std::string& path) {
    std::mt19937_64 rng(o.seed);
    std::normal_distribution<float> normal(0.f, 1.f);
    GgufWriter w;
    w.addString("general.architecture", "clip");
    w.addString("clip.projector_type", "gemma4v");
    w.addBool("clip.has_vision_encoder", true);
    w.addBool("clip.use_gelu", true);
    w.addUInt32("clip.vision.image_size", 224);
    w.addUInt32("clip.vision.patch_size", uint32_t(d.patchSize));
    w.addUInt32("clip.vision.embedding_length", uint32_t(d.width));
    w.addUInt32("clip.vision.feed_forward_length", uint32_t(d.ffn));
    w.addUInt32("clip.vision.block_count", uint32_t(d.layers));
    w.addUInt32("clip.vision.attention.head_count", uint32_t(d.heads));
    w.addFloat32("clip.vision.attention.layer_norm_epsilon", d.eps);
    w.addUInt32("clip.vision.projection_dim", uint32_t(d.textWidth));
    if (d.poolKernel != 3) w.addUInt32("clip.vision.projector.scale_factor", uint32_t(d.poolKernel));

    // Weights scaled like a trained layer's (1/√fan-in), so activations stay in range.
    auto add = [&](const std::string& name, std::vector<int64_t> ne, GgmlType type, float scale, float offset = 0.f) {
        int64_t n = 1;
        for (int64_t x : ne) n *= x;
        std::vector<float> v(static_cast<size_t>(n));
        for (float& x : v) x = offset + scale * normal(rng);
        w.addTensor(name, type, std::move(ne), quantizeToBytes(type, v.data(), n));
    };
    auto scalar = [&](const std::string& name, float value) {
        std::vector<uint8_t> b(sizeof(float));
        std::memcpy(b.data(), &value, sizeof value);
        w.addTensor(name, GgmlType::F32, {1}, std::move(b));
    };
    const int64_t E = d.width, p = d.patchSize, qkv = int64_t(d.heads) * d.headDim;
    // The patch kernel's rows are p wide: F32 or F16 only (no quant block fits).
    const GgmlType patchType = o.weightType == GgmlType::F32 ? GgmlType::F32 : GgmlType::F16;
    add("v.patch_embd.weight", {p, p, 3, E}, patchType, 1.f / std::sqrt(float(3 * p * p)));
    add("v.position_embd.weight", {E, d.positionRows, 2}, GgmlType::F32, 0.02f);
    for (int il = 0; il < d.layers; ++il) {
        const std::string b = "v.blk." + std::to_string(il) + ".";
        for (const char* norm : {"ln1", "attn_post_norm", "ln2", "ffn_post_norm"}) add(b + norm + ".weight", {E}, GgmlType::F32, 0.05f, 1.f);
        add(b + "attn_q_norm.weight", {d.headDim}, GgmlType::F32, 0.05f, 1.f);
        add(b + "attn_k_norm.weight", {d.headDim}, GgmlType::F32, 0.05f, 1.f);
        const float inE = 1.f / std::sqrt(float(E)), inQ = 1.f / std::sqrt(float(qkv)), inF = 1.f / std::sqrt(float(d.ffn));
        add(b + "attn_q.weight", {E, qkv}, o.weightType, inE);
        add(b + "attn_k.weight", {E, qkv}, o.weightType, inE);
        add(b + "attn_v.weight", {E, qkv}, o.weightType, inE);
        add(b + "attn_out.weight", {qkv, E}, o.weightType, inQ);
        add(b + "ffn_gate.weight", {E, d.ffn}, o.weightType, inE);
        add(b + "ffn_up.weight", {E, d.ffn}, o.weightType, inE);
        add(b + "ffn_down.weight", {d.ffn, E}, o.weightType, inF);
        if (o.clamps)
            for (const char* lin : {"attn_q", "attn_k", "attn_v", "attn_out", "ffn_gate", "ffn_up", "ffn_down"}) {
                scalar(b + lin + ".input_min", -8.f);
                scalar(b + lin + ".input_max", 8.f);
                scalar(b + lin + ".output_min", -16.f);
                scalar(b + lin + ".output_max", 16.f);
            }
    }
    if (o.standardize) {
        add("v.std_bias", {E}, GgmlType::F32, 0.1f);
        add("v.std_scale", {E}, GgmlType::F32, 0.05f, 1.f);
    }
    add("mm.input_projection.weight", {E, d.textWidth}, o.weightType, 1.f / std::sqrt(float(E)));
    return w.write(path);
}

}  // namespace facet
