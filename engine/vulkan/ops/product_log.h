// The products a recording made at the device's own shapes (no shape or
// tile of their own, no FACET_VK_MATVEC_* / _MATMAT_* override), in order:
// what the kernel tuner replays (product_tuner.h). Cmd::setProductLog.
#pragma once

#include <vector>

#include "vulkan/ops/mat_mat_op.h"
#include "vulkan/ops/mat_vec_op.h"

namespace facet::vk {

struct ProductLog {
    std::vector<MatVecArgs> matVec;  // decode GEMVs (and CPU devices' 8-token prefill GEMVs)
    std::vector<MatMatArgs> matMat;  // prefill GEMMs
    bool empty() const { return matVec.empty() && matMat.empty(); }
};

}  // namespace facet::vk
