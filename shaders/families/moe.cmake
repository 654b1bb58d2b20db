# moe_router: softmax + top-k + renormalise + per-expert scale, ids stay on the GPU.
facet_add_shader(moe_router moe_router.comp)
# moe_mat_vec: the expert products with GPU-side ids, per weight type and reduction.
foreach(type F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q4_K Q5_K Q6_K)
    string(TOLOWER ${type} stem)
    facet_add_shader(moe_mat_vec_${stem} moe_mat_vec.comp DEFINES TYPE_${type}=1)
    facet_add_shader(moe_mat_vec_${stem}_subgroup moe_mat_vec.comp DEFINES TYPE_${type}=1 USE_SUBGROUPS=1)
endforeach()
