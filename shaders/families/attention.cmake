# attention: online-softmax attention over the f16 KV cache ring (any device).
facet_add_shader(attention attention.comp)
# attention_texel: the same with q, K and V read through texel buffers (CPU devices).
facet_add_shader(attention_texel attention.comp DEFINES TEXEL_READS=1)
# attention_combine: merges attention's split-K partials (decode on big GPUs).
facet_add_shader(attention_combine attention_combine.comp)
