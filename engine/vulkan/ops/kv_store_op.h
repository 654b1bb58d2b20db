// Host side of shaders/kv_store.comp (rule 7: kv_store.comp <-> dispatchKvStore
// <-> KvStorePush; CPU twin facet::cpu::kvStore). Writes nTok fp32 rows of K
// (and V) into f16 ring caches at slot (pos0 + t) % capacity; the word format
// is shaders/common/kv.glsl (2 halves per uint, no 16-bit storage needed).
// The forward stores its K and V rows as rope finishes them (RopeArgs::cache);
// this op stores rows that come from anywhere else, and its test pins the
// f16 conversion both share (rounding, subnormals, overflow, NaN).
#pragma once

#include <cstdint>

#include "core/result.h"
#include "vulkan/vk_buffer.h"

namespace facet::vk {

class Cmd;

// The push block of kv_store.comp, field for field. Source offsets and
// strides in floats, cache offsets in 4-byte words.
struct KvStorePush {
    uint32_t nTok;
    uint32_t words;
    uint32_t kOffset;
    uint32_t kStride;
    uint32_t vOffset;
    uint32_t vStride;
    uint32_t kcOffset;
    uint32_t vcOffset;
    uint32_t capacity;
    uint32_t pos0;
};
static_assert(sizeof(KvStorePush) == 40, "KvStorePush must match the push block of shaders/kv_store.comp");

// Bytes of one ring of `capacity` rows of `width` values.
inline uint64_t kvCacheBytes(uint32_t capacity, uint32_t width) { return uint64_t(capacity) * width * 2; }

struct KvStoreArgs {
    BufferSlice k, v;            // nTok rows of `width` floats; v empty = store K only
    BufferSlice kCache, vCache;  // kvCacheBytes(capacity, width) each; rows in slot order
    uint32_t nTok = 0;
    uint32_t width = 0;                 // nKv * headDim, even
    uint32_t kStride = 0, vStride = 0;  // floats; 0 = width
    uint32_t capacity = 0;              // ring slots; nTok <= capacity
    uint32_t pos0 = 0;                  // position of row 0
};

// Records one dispatch (no barriers) into `cmd`, which must be recording.
Status dispatchKvStore(Cmd& cmd, const KvStoreArgs& args);

}  // namespace facet::vk
