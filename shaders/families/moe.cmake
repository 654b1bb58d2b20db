# moe_router: softmax + top-k + renormalise + per-expert scale, ids stay on the GPU.
facet_add_shader(moe_router moe_router.comp)
# moe_route: a chunk's slots grouped by expert (the route table); moe_slot_sum:
# a token's weighted expert outputs summed.
facet_add_shader(moe_route moe_route.comp)
facet_add_shader(moe_slot_sum moe_route.comp DEFINES SLOT_SUM=1)
# moe_mat_vec: the expert products with GPU-side ids, per weight type and
# reduction; _batched: expert by expert over the route table (prefill).
foreach(type F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q4_K Q5_K Q6_K)
    string(TOLOWER ${type} stem)
    facet_add_shader(moe_mat_vec_${stem} moe_mat_vec.comp DEFINES TYPE_${type}=1)
    facet_add_shader(moe_mat_vec_${stem}_subgroup moe_mat_vec.comp DEFINES TYPE_${type}=1 USE_SUBGROUPS=1)
    facet_add_shader(moe_mat_vec_${stem}_batched moe_mat_vec.comp DEFINES TYPE_${type}=1 BATCHED=1)
    facet_add_shader(moe_mat_vec_${stem}_batched_subgroup moe_mat_vec.comp DEFINES TYPE_${type}=1 BATCHED=1
                     USE_SUBGROUPS=1)
endforeach()
