# attention: online-softmax attention over the f16 KV cache ring (any device).
facet_add_shader(attention attention.comp)
