// One row of RMSNorm by the whole workgroup (Gemma 4 spec §2.1; CPU twin
// facet::cpu::rmsNorm), the math of rms_norm.comp and of mat_vec's closing
// norm (mat_vec_tail.glsl): one function, so the two cannot drift.
//   out[i]  = (in[i] / sqrt(mean(in²) + eps) * (hasWeight ? w[i] : 1)
//              + (hasResidual ? residual[i] : 0)) * (hasScale ? layerScale : 1)
//   next[i] = out[i] / sqrt(mean(out²) + eps) * w2[i]            (hasNext)
// Three passes, sums by workgroupSum (reduce.glsl), fp32.
//
// The includer declares WG_SIZE, includes reduce.glsl and defines, as
// expressions of a float index into its own bindings:
//   RN_IN(i) RN_WEIGHT(i) RN_RESIDUAL(i) RN_NEXT_WEIGHT(i)   (read)
//   RN_OUT(i)                                               (read and written)
//   RN_NEXT_OUT(i)                                          (written)
// The bases below are added to i for the row's vectors; the weights get
// i alone (their offset goes into the macro). `out` may alias `in` or
// `residual`: each invocation reads an element before it writes the same
// one, the sum's reads of `in` end at workgroupSum's barrier, and the next
// pass reads back only the elements the invocation itself wrote.
// Every invocation must call it with the same arguments (barriers inside).
#ifndef FACET_RMS_NORM_ROWS_GLSL
#define FACET_RMS_NORM_ROWS_GLSL

void rmsNormRow(uint cols, float eps, uint inBase, uint resBase, uint outBase, uint nextBase, bool hasWeight,
                bool hasResidual, bool hasScale, float layerScale, bool hasNext) {
    const uint t = gl_LocalInvocationID.x;
    float ss = 0.0;
    for (uint i = t; i < cols; i += WG_SIZE) {
        const float v = RN_IN(inBase + i);
        ss += v * v;
    }
    ss = workgroupSum(ss);
    const float scale = 1.0 / sqrt(ss / float(cols) + eps);

    float ss2 = 0.0;
    for (uint i = t; i < cols; i += WG_SIZE) {
        float v = RN_IN(inBase + i) * scale;
        if (hasWeight) v *= RN_WEIGHT(i);
        if (hasResidual) v += RN_RESIDUAL(resBase + i);
        if (hasScale) v *= layerScale;
        RN_OUT(outBase + i) = v;
        if (hasNext) ss2 += v * v;
    }
    if (!hasNext) return;

    ss2 = workgroupSum(ss2);
    const float scale2 = 1.0 / sqrt(ss2 / float(cols) + eps);
    for (uint i = t; i < cols; i += WG_SIZE)
        RN_NEXT_OUT(nextBase + i) = RN_OUT(outBase + i) * scale2 * RN_NEXT_WEIGHT(i);
}

#endif  // FACET_RMS_NORM_ROWS_GLSL
