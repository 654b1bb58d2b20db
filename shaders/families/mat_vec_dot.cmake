# mat_vec_dot: the decode GEMV by 8-bit integer dot products (OpSDot/OpSUDot
# through GL_EXT_spirv_intrinsics; used only where DeviceCaps::integerDotProduct)
# over Q4_0 and Q8_0 blocks, per reduction (subgroupAdd or shared memory):
# mat_vec_dot_<type>[_subgroup]; and quantize_act, the activations' 8-bit
# blocks it reads (engine/vulkan/ops/mat_vec_dot_op.cpp).
foreach(type Q4_0 Q8_0)
    string(TOLOWER ${type} stem)
    facet_add_shader(mat_vec_dot_${stem} mat_vec_dot.comp DEFINES TYPE_${type}=1)
    facet_add_shader(mat_vec_dot_${stem}_subgroup mat_vec_dot.comp DEFINES TYPE_${type}=1 USE_SUBGROUPS=1)
endforeach()
facet_add_shader(quantize_act quantize_act.comp)
