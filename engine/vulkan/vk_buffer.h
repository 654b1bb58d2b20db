// Buffers with their own memory, non-owning slices of them, and a MemoryArena
// that sub-allocates aligned ranges from blocks no larger than the device allows.
// Every buffer is usable as a storage buffer, as a copy source and target, and
// (where the device has them) as a uniform texel buffer through texelView().
#pragma once

#include <volk.h>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace facet::vk {

class Device;
class Buffer;

enum class MemoryKind {
    DeviceLocal,  // weights, activations; host-mapped when the device is UMA (integrated, CPU)
    HostVisible,  // small data the host writes each step and shaders read; device-local when possible (ReBAR)
    Staging,      // host -> device copies; host-coherent, not device-local where avoidable
    Readback,     // device -> host copies; host-cached where possible
    Count,
};
const char* memoryKindName(MemoryKind k);

// A byte range of a Buffer (non-owning; the Buffer must outlive it).
struct BufferSlice {
    const Buffer* buffer = nullptr;
    VkDeviceSize offset = 0;
    VkDeviceSize size = 0;

    bool empty() const { return buffer == nullptr || size == 0; }
    VkBuffer handle() const;
    // Host pointer to the first byte when the buffer is mapped, else nullptr.
    std::byte* host() const;
    // A range inside this slice (clamped to it).
    BufferSlice sub(VkDeviceSize off, VkDeviceSize bytes) const;
};

// Whole rows [rowBegin, rowEnd) of a tensor (rows flattened over ne[1..3]),
// row rowBegin at byte 0 of `slice`. A tensor too big for one binding is
// stored as several (DeviceWeights); the ops take such lists.
struct TensorPiece {
    BufferSlice slice;
    int64_t rowBegin = 0, rowEnd = 0;
    // 0: rows one after another. Else the piece's rows are row-interleaved
    // in tiles of this many rows from rowBegin on (row_interleave.h), which
    // only the lanes GEMV and get_rows read.
    uint32_t tileRows = 0;
};

class Buffer {
public:
    // Fails before touching Vulkan when `bytes` exceeds maxMemoryAllocationSize
    // or maxBufferSize, and names the needed and available bytes when the
    // driver runs out of memory.
    static Result<std::unique_ptr<Buffer>> create(Device& device, MemoryKind kind, VkDeviceSize bytes,
                                                  std::string name);
    ~Buffer();
    Buffer(Buffer&& other) noexcept;
    Buffer& operator=(Buffer&& other) noexcept;
    Buffer(const Buffer&) = delete;
    Buffer& operator=(const Buffer&) = delete;

    Device& device() const { return *device_; }
    VkBuffer handle() const { return buffer_; }
    VkDeviceSize size() const { return size_; }
    MemoryKind kind() const { return kind_; }
    const std::string& name() const { return name_; }
    // Persistently mapped base pointer when the memory is host-visible, else nullptr.
    std::byte* mapped() const { return mapped_; }
    bool hostCoherent() const { return coherent_; }
    VkMemoryPropertyFlags memoryFlags() const { return flags_; }

    BufferSlice whole() const { return BufferSlice{this, 0, size_}; }
    BufferSlice slice(VkDeviceSize offset, VkDeviceSize bytes) const { return whole().sub(offset, bytes); }

    // For non-coherent mapped memory: make host writes visible to the device
    // (flush) / device writes visible to the host after a host barrier and a
    // fence wait (invalidate). No-ops on coherent memory.
    Status flush(VkDeviceSize offset, VkDeviceSize bytes) const;
    Status invalidate(VkDeviceSize offset, VkDeviceSize bytes) const;

    // A view of [offset, offset + bytes) as texels of `format` (4 or 16 bytes:
    // R32_UINT, R32G32B32A32_SFLOAT...), created once and kept until the buffer
    // goes. Checked first: texel buffers on, offset a multiple of
    // minTexelBufferOffsetAlignment, bytes a whole number of texels and at most
    // maxTexelBufferElements of them, inside the buffer.
    Result<VkBufferView> texelView(VkDeviceSize offset, VkDeviceSize bytes, VkFormat format) const;

private:
    Buffer() = default;
    void release();

    Device* device_ = nullptr;
    VkBuffer buffer_ = VK_NULL_HANDLE;
    VkDeviceMemory memory_ = VK_NULL_HANDLE;
    VkDeviceSize size_ = 0;
    VkDeviceSize allocated_ = 0;
    uint32_t heap_ = 0;
    MemoryKind kind_ = MemoryKind::DeviceLocal;
    VkMemoryPropertyFlags flags_ = 0;
    bool coherent_ = false;
    std::byte* mapped_ = nullptr;
    std::string name_;
    struct Views {
        std::mutex mu;
        std::map<std::tuple<VkDeviceSize, VkDeviceSize, VkFormat>, VkBufferView> byRange;
    };
    std::unique_ptr<Views> views_ = std::make_unique<Views>();  // behind a pointer: Buffer moves
};

// Bytes per texel of the texel-view formats Facet uses (0 for others).
uint32_t texelBytes(VkFormat format);

// Bump allocator over Buffers ("blocks") of at most min(blockBytes,
// maxMemoryAllocationSize, maxBufferSize) bytes; every range starts at a
// multiple of minStorageBufferOffsetAlignment, so it can be bound directly.
// Ranges are freed all at once by reset(); blocks stay until destruction.
class MemoryArena {
public:
    struct Options {
        MemoryKind kind = MemoryKind::DeviceLocal;
        VkDeviceSize blockBytes = VkDeviceSize(1) << 30;  // 1 GiB, as llama.cpp
        std::string name = "arena";
    };
    static Result<std::unique_ptr<MemoryArena>> create(Device& device, const Options& options);
    MemoryArena(MemoryArena&&) noexcept = default;
    MemoryArena& operator=(MemoryArena&&) noexcept = default;
    MemoryArena(const MemoryArena&) = delete;
    MemoryArena& operator=(const MemoryArena&) = delete;

    // `what` names the range in errors. alignment 0 = the device's storage alignment.
    Result<BufferSlice> allocate(VkDeviceSize bytes, std::string_view what, VkDeviceSize alignment = 0);
    void reset();
    // A new block need not be larger than `bytes` (what the owner still has
    // to place), so the last block of a model is not a whole blockBytes.
    // 0 = no hint.
    void setNextBlockHint(VkDeviceSize bytes) { hint_ = bytes; }

    // The largest single allocation possible.
    VkDeviceSize maxAllocation() const { return limit_; }
    size_t blockCount() const { return blocks_.size(); }
    VkDeviceSize bytesUsed() const;      // sum of allocated ranges (with alignment padding)
    VkDeviceSize bytesReserved() const;  // sum of block sizes

private:
    MemoryArena() = default;

    Device* device_ = nullptr;
    Options options_;
    VkDeviceSize limit_ = 0;
    VkDeviceSize alignment_ = 0;
    std::vector<std::unique_ptr<Buffer>> blocks_;
    std::vector<VkDeviceSize> used_;  // per block
    VkDeviceSize hint_ = 0;
};

}  // namespace facet::vk
