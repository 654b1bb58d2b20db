// Variants are data (house style rule 4): each released Gemma 4 shape and
// each tiny test shape is a small function on gemma4Base(). Tests loop over
// them, the test-model maker writes them, and the fit estimate reads them.
#pragma once

#include <string>
#include <vector>

#include "model/model_desc.h"

namespace facet {

// Real shapes (spec §1).
ModelDesc gemma4E2B();
ModelDesc gemma4E4B();
ModelDesc gemma4MoE26B();
ModelDesc gemma4Dense31B();

// Tiny shapes with every feature of their big sibling (hidden 64); they match
// the reference models in shared/reference/models (see its README).
ModelDesc e2bLike();       // PLE, KV sharing, double-wide FFN on shared layers
ModelDesc moeLike();       // dense MLP + 16 experts top-4, k=v on full layers
ModelDesc dense31bLike();  // k=v, no PLE, no sharing

// By name: "e2b", "e4b", "moe", "31b", "e2b-like", "moe-like", "dense31b-like".
bool variantByName(const std::string& name, ModelDesc& out);
std::vector<std::string> variantNames();

// Fills derived per-layer fields from the model-level ones: attention kind
// from `fullEvery`, windows, rope bases, KV sources of the last nKvShared
// layers, and the full-layer RoPE factors from `partialRotary`.
struct LayerPattern {
    int fullEvery = 5;           // layer i is full when i % fullEvery == fullEvery - 1 (and the last layer)
    std::vector<bool> sliding;   // explicit pattern; overrides fullEvery when non-empty
    int headDimSliding = 256, headDimFull = 512;
    int nHeads = 8, kvSliding = 1, kvFull = 1;
    bool kEqVFull = false;
    std::vector<int> ffn;        // per layer; one entry broadcasts
    float partialRotary = 0.25f;
};
void applyPattern(ModelDesc& d, const LayerPattern& p);

}  // namespace facet
