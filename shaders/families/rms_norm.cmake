# rms_norm: shared-memory reduction (any device) and subgroupAdd reduction
# (needs subgroup arithmetic in compute; chosen from DeviceCaps).
facet_add_shader(rms_norm rms_norm.comp)
facet_add_shader(rms_norm_subgroup rms_norm.comp DEFINES USE_SUBGROUPS=1)
