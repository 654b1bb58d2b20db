# attention_lanes: full bidirectional attention of one sequence with a query
# per invocation (the vision tower on CPU devices; attention_bidir elsewhere).
facet_add_shader(attention_lanes attention_lanes.comp)
