// CPU twins (house style rule 8) of the elementwise shader families that
// engine/cpu/ops.h lacks: geglu.comp, binary.comp, logits.comp, kv_store.comp.
// Plain code, written to be obviously right; the Vulkan op tests compare
// against these.
#pragma once

#include <cstdint>
#include <vector>

namespace facet::cpu {

// out[i] = geluTanh(g[i]) * u[i]   (spec §2.4 GeGLU)
void geglu(const float* g, const float* u, float* out, int n);

// binary.comp's OP specialization constant: never renumber.
enum class BinaryOp : uint32_t {
    Add = 0,       // out = a + b
    Mul = 1,       // out = a * b
    Scale = 2,     // out = a * s
    AddScale = 3,  // out = (a + b) * s
    Count,
};
const char* binaryOpName(BinaryOp op);

// One row of `op` in float arithmetic, one rounding per operation (b unused
// by Scale; s unused by Add and Mul).
void binary(BinaryOp op, const float* a, const float* b, float s, float* out, int n);

// x = cap * tanh(x / cap) in double, rounded once; cap 0 leaves x as is (spec §2.5).
void softcap(float* x, int n, float cap);

struct Candidate {
    uint32_t id = 0;
    float value = 0.0f;
};

// The k largest values of x[0..n) with their ids, sorted descending; equal
// values by ascending id (so k = 1 is argmax with ties to the lowest id).
// NaN counts as -inf (and is returned as -inf).
std::vector<Candidate> topK(const float* x, int n, int k);

// Stores rows into an f16 ring the way kv_store.comp does: row t of `src`
// (width floats) goes to slot (pos0 + t) % capacity of `cache` (capacity rows
// of width halves), each value as floatToHalf.
void kvStore(const float* src, int nTok, int width, int srcStride, uint16_t* cache, int capacity, int pos0);

}  // namespace facet::cpu
