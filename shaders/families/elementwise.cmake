# Elementwise and per-row op families of the forward pass (rope with the
# per-head norm, geglu, binary, logits, kv_store, clamp). Variants only where the
# SPIR-V must differ: the subgroupAdd reduction of rope.
facet_add_shader(rope rope.comp)
facet_add_shader(rope_subgroup rope.comp DEFINES USE_SUBGROUPS=1)
facet_add_shader(kv_store kv_store.comp)
facet_add_shader(geglu geglu.comp)
facet_add_shader(binary binary.comp)
facet_add_shader(logits logits.comp)
# clamp: the bounds of the vision tower's clamped linears (gemma4-vision.md §4.2).
facet_add_shader(clamp clamp.comp)
