// Workgroup-wide float sum for a 1-D workgroup of WG_SIZE invocations.
//
// Include after declaring `layout(constant_id = 0) const uint WG_SIZE` and
// `layout(local_size_x_id = 0) in;`. Every invocation of the workgroup must
// call workgroupSum() (it contains barriers) and all get the same total.
//
// USE_SUBGROUPS (define; the includer enables GL_KHR_shader_subgroup_basic and
// _arithmetic): subgroupAdd, then one partial per subgroup in shared memory,
// summed by every invocation in subgroup-id order. Nothing depends on
// gl_SubgroupSize (reported wrongly on some drivers without size control,
// google/uVkCompute#43) and partial subgroups are fine, so any subgroup size
// 8..128 and any WG_SIZE work.
// Otherwise: a shared-memory tree; WG_SIZE must be a power of two (the host
// chooses it, see engine/vulkan/ops).
#ifndef FACET_REDUCE_GLSL
#define FACET_REDUCE_GLSL

shared float facet_red[WG_SIZE];

#ifdef USE_SUBGROUPS
float workgroupSum(float v) {
    const float s = subgroupAdd(v);
    if (subgroupElect()) facet_red[gl_SubgroupID] = s;
    barrier();
    float total = 0.0;
    for (uint i = 0; i < gl_NumSubgroups; ++i) total += facet_red[i];
    barrier();  // facet_red may be reused by the next call
    return total;
}
#else
float workgroupSum(float v) {
    const uint t = gl_LocalInvocationID.x;
    facet_red[t] = v;
    barrier();
    for (uint s = WG_SIZE / 2; s > 0; s >>= 1) {
        if (t < s) facet_red[t] += facet_red[t + s];
        barrier();
    }
    const float total = facet_red[0];
    barrier();  // facet_red may be reused by the next call
    return total;
}
#endif

#endif  // FACET_REDUCE_GLSL
