# vision_pool: the vision tower's k×k average pooling, ×√E and standardization
# (gemma4-vision.md §5; any device).
facet_add_shader(vision_pool vision_pool.comp)
