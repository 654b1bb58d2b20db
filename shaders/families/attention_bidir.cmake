# attention_bidir: bidirectional, per-sequence (optionally windowed) attention
# over a packed batch with float32 K and V (EmbeddingGemma; any device).
facet_add_shader(attention_bidir attention_bidir.comp)
