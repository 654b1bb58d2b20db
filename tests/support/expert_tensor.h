// The stacked expert tensor of the MoE op tests (tst_vk_moe_mat_vec,
// tst_vk_moe_batched): E experts of R rows of `cols` random non-zero values
// quantized to `type`, as a TensorView for the CPU twin and as device
// buffers of whole rows in `pieces` pieces (as DeviceWeights stores it).
#pragma once

#include <memory>
#include <vector>

#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/vk_op_test.h"
#include "vulkan/vk_weights.h"

namespace facet::test {

struct ExpertTensor {
    std::vector<uint8_t> bytes;  // the GGUF encoding, row after row
    TensorView view;             // over `bytes`
    std::vector<std::unique_ptr<vk::Buffer>> buffers;
    std::vector<vk::TensorPiece> pieces;
};

// Null after a warning when a buffer cannot be made. Not movable once made:
// `view` points into `bytes`.
inline std::unique_ptr<ExpertTensor> makeExpertTensor(vk::Device& dev, GgmlType type, int E, int R, int cols,
                                                      int pieces, uint32_t seed) {
    auto t = std::make_unique<ExpertTensor>();
    const uint64_t rb = rowBytes(type, cols);
    const std::vector<float> wf = nonZero(size_t(E) * R * cols, 0.05f, 1.0f, seed);
    t->bytes.resize(size_t(E) * R * rb);
    for (int r = 0; r < E * R; ++r) quantizeRow(type, wf.data() + size_t(r) * cols, t->bytes.data() + r * rb, cols);
    t->view.name = "experts";
    t->view.type = type;
    t->view.ne = {cols, R, E, 1};
    t->view.nDims = 3;
    t->view.data = t->bytes.data();
    t->view.nbytes = t->bytes.size();
    for (int p = 0; p < pieces; ++p) {
        const int r0 = E * R * p / pieces, r1 = E * R * (p + 1) / pieces;
        std::vector<uint8_t> piece(t->bytes.begin() + r0 * rb, t->bytes.begin() + r1 * rb);
        piece.resize((piece.size() + 3) / 4 * 4, 0);
        t->buffers.push_back(makeBuffer(dev, piece, "piece"));
        if (!t->buffers.back()) return nullptr;
        t->pieces.push_back({t->buffers.back()->whole(), r0, r1});
    }
    return t;
}

}  // namespace facet::test
