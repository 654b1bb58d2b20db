# mat_vec (decode GEMV) and get_rows (embedding gather) over raw GGUF blocks:
# one module per weight type (the TYPE_* define picks the block decoder in
# common/dequant.glsl); mat_vec also per reduction (subgroupAdd needs
# subgroup arithmetic in compute; chosen from DeviceCaps), and mat_vec_lanes
# (a row per invocation through texel buffers, for CPU devices; its Q4_0 and
# Q8_0 variants for 16-byte aligned rows of 256-value groups are
# mat_vec_lanes_q4_0_x16 and _q8_0_x16, its Q4_K variant for 16-byte aligned
# rows mat_vec_lanes_q4_k_x16; these also read row-interleaved weights). Names:
# mat_vec_<type>, mat_vec_<type>_subgroup, mat_vec_<type>_blocks[_subgroup] (quantized types: an
# invocation per whole block, MatVecLayout::Blocks), mat_vec_lanes_<type>, get_rows_<type>, <type> = f32 f16
# bf16 q8_0 q4_0 q4_1 q5_0 q5_1 q4_k q5_k q6_k (GgmlType names in lower case);
# mat_vec_lanes_q6_k comes from mat_vec_lanes_q6_k.comp.
foreach(type F32 F16 BF16 Q8_0 Q4_0 Q4_1 Q5_0 Q5_1 Q4_K Q5_K Q6_K)
    string(TOLOWER ${type} stem)
    facet_add_shader(mat_vec_${stem} mat_vec.comp DEFINES TYPE_${type}=1)
    facet_add_shader(mat_vec_${stem}_subgroup mat_vec.comp DEFINES TYPE_${type}=1 USE_SUBGROUPS=1)
    if(NOT type MATCHES "^(F32|F16|BF16)$")  # whole blocks per invocation (MatVecLayout::Blocks)
        facet_add_shader(mat_vec_${stem}_blocks mat_vec.comp DEFINES TYPE_${type}=1 BLOCKWISE=1)
        facet_add_shader(mat_vec_${stem}_blocks_subgroup mat_vec.comp DEFINES TYPE_${type}=1 BLOCKWISE=1 USE_SUBGROUPS=1)
    endif()
    if(type STREQUAL "Q6_K")  # its own decoder: blocks of 210 bytes, words realigned once
        facet_add_shader(mat_vec_lanes_${stem} mat_vec_lanes_q6_k.comp)
    else()
        facet_add_shader(mat_vec_lanes_${stem} mat_vec_lanes.comp DEFINES TYPE_${type}=1)
    endif()
    facet_add_shader(get_rows_${stem} get_rows.comp DEFINES TYPE_${type}=1)
endforeach()
facet_add_shader(mat_vec_lanes_q4_0_x16 mat_vec_lanes_q4_0.comp)
facet_add_shader(mat_vec_lanes_q4_k_x16 mat_vec_lanes_q4_k.comp)
facet_add_shader(mat_vec_lanes_q8_0_x16 mat_vec_lanes_q8_0.comp)
facet_add_shader(mat_vec_lanes_q5_k_x16 mat_vec_lanes_q5_k.comp)
facet_add_shader(mat_vec_lanes_q6_k_x16 mat_vec_lanes_q6_k_tiled.comp)  # row-interleaved, blocks padded to 224 bytes
# get_rows of that storage (the tied embedding): Q6_K blocks 224 bytes apart
facet_add_shader(get_rows_q6_k_padded get_rows.comp DEFINES TYPE_Q6_K=1 DQ_Q6_K_PADDED=1)
