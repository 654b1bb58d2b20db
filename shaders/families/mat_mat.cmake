# mat_mat (prefill GEMM) over raw GGUF blocks: one module per weight type (the
# TYPE_* define picks the block decoder in common/dequant.glsl); tile sizes are
# specialization constants chosen from DeviceCaps by dispatchMatMat. Names:
# mat_mat_<type>, <type> = f32 f16 bf16 q8_0 q4_0 q4_1 q5_0 q5_1 q4_k q5_k q6_k
# (GgmlType names in lower case, as shaderTypeStem).
foreach(type F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q4_K Q5_K Q6_K)
    string(TOLOWER ${type} stem)
    facet_add_shader(mat_mat_${stem} mat_mat.comp DEFINES TYPE_${type}=1)
endforeach()
