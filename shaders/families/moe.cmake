# moe_router: softmax + top-k + renormalise + per-expert scale, ids stay on the GPU.
facet_add_shader(moe_router moe_router.comp)
