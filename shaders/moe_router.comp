// MoE routing on the GPU, one workgroup per token (Gemma 4 spec §2.4; CPU
// twin facet::cpu::moeRoute): softmax over all N_EXPERTS logits, the top k
// (ties to the lower id), renormalised over the k, times each chosen
// expert's scale. Ids and weights stay on the GPU for the expert mat-vecs:
// no CPU round trip per layer.
//
// Spec constants: 0 WG_SIZE (power of two), 1 N_EXPERTS.
// Host side: engine/vulkan/ops/moe_router_op.cpp.
#version 450

layout(constant_id = 0) const uint WG_SIZE = 128;
layout(constant_id = 1) const uint N_EXPERTS = 128;
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer LBuf { float logits[]; };  // [nTok][N_EXPERTS]
layout(std430, set = 0, binding = 1) readonly buffer SBuf { float expertScale[]; };
layout(std430, set = 0, binding = 2) writeonly buffer IBuf { uint ids[]; };      // [nTok][k]
layout(std430, set = 0, binding = 3) writeonly buffer WBuf { float weights[]; }; // [nTok][k]

// Must match MoeRouterPush (static_assert there).
layout(push_constant) uniform Push {
    uint nTok;
    uint k;
    uint logitsOffset;  // floats
    uint outOffset;     // elements, for ids and weights alike
} p;

shared float prob[N_EXPERTS];
shared float redV[WG_SIZE];
shared uint redI[WG_SIZE];
shared float chosen[64];  // k <= 64 (checked on the host)
shared uint chosenId[64];

// Best (value, id) of the workgroup: larger value, then lower id.
void reduceBest(inout float v, inout uint id) {
    const uint t = gl_LocalInvocationID.x;
    redV[t] = v;
    redI[t] = id;
    barrier();
    for (uint s = WG_SIZE / 2; s > 0; s >>= 1) {
        if (t < s) {
            const float ov = redV[t + s];
            const uint oi = redI[t + s];
            if (ov > redV[t] || (ov == redV[t] && oi < redI[t])) {
                redV[t] = ov;
                redI[t] = oi;
            }
        }
        barrier();
    }
    v = redV[0];
    id = redI[0];
    barrier();
}

float reduceSum(float v) {
    const uint t = gl_LocalInvocationID.x;
    redV[t] = v;
    barrier();
    for (uint s = WG_SIZE / 2; s > 0; s >>= 1) {
        if (t < s) redV[t] += redV[t + s];
        barrier();
    }
    const float r = redV[0];
    barrier();
    return r;
}

void main() {
    const uint tok = gl_WorkGroupID.x;
    if (tok >= p.nTok) return;
    const uint t = gl_LocalInvocationID.x;
    const uint lb = p.logitsOffset + tok * N_EXPERTS;

    float mx = -1.0 / 0.0;
    uint unused = 0;
    for (uint e = t; e < N_EXPERTS; e += WG_SIZE) {
        prob[e] = logits[lb + e];
        mx = max(mx, prob[e]);
    }
    reduceBest(mx, unused);
    float partial = 0.0;
    for (uint e = t; e < N_EXPERTS; e += WG_SIZE) {
        prob[e] = exp(prob[e] - mx);
        partial += prob[e];
    }
    const float total = reduceSum(partial);
    for (uint e = t; e < N_EXPERTS; e += WG_SIZE) prob[e] /= total;
    barrier();

    // k rounds of a workgroup argmax; a chosen expert is marked -1 (probabilities are >= 0).
    float picked = 0.0;
    for (uint i = 0; i < p.k; ++i) {
        float best = -1.0;
        uint bestId = 0xFFFFFFFFu;
        for (uint e = t; e < N_EXPERTS; e += WG_SIZE)
            if (prob[e] > best || (prob[e] == best && e < bestId)) {
                best = prob[e];
                bestId = e;
            }
        reduceBest(best, bestId);
        if (t == 0) {
            chosen[i] = best;
            chosenId[i] = bestId;
            ids[p.outOffset + tok * p.k + i] = bestId;
            prob[bestId] = -1.0;
        }
        picked += best;  // every invocation got the same best
        barrier();
    }
    for (uint i = t; i < p.k; i += WG_SIZE) {
        const uint e = chosenId[i];
        weights[p.outOffset + tok * p.k + i] = chosen[i] / picked * expertScale[e];
    }
}
