// filled by the reference-model comparison helpers
