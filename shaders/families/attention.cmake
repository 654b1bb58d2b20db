# attention: online-softmax attention over the f16 KV cache ring (any device).
facet_add_shader(attention attention.comp)
# attention_combine: merges attention's split-K partials (decode on big GPUs).
facet_add_shader(attention_combine attention_combine.comp)
