#include "vulkan/vk_buffer.h"

#include <algorithm>

#include "vulkan/vk_device.h"
#include "vulkan/vk_error.h"

namespace facet::vk {

namespace {

VkDeviceSize alignUp(VkDeviceSize v, VkDeviceSize a) { return (v + a - 1) / a * a; }

std::string bytesText(VkDeviceSize b) { return formatBytes(b) + " (" + std::to_string(b) + " bytes)"; }

}  // namespace

const char* memoryKindName(MemoryKind k) {
    switch (k) {
        case MemoryKind::DeviceLocal: return "device-local";
        case MemoryKind::HostVisible: return "host-visible";
        case MemoryKind::Staging: return "staging";
        case MemoryKind::Readback: return "readback";
        case MemoryKind::Count: break;
    }
    return "?";
}

// --- BufferSlice ---------------------------------------------------------------

VkBuffer BufferSlice::handle() const { return buffer ? buffer->handle() : VK_NULL_HANDLE; }

std::byte* BufferSlice::host() const { return buffer && buffer->mapped() ? buffer->mapped() + offset : nullptr; }

BufferSlice BufferSlice::sub(VkDeviceSize off, VkDeviceSize bytes) const {
    const VkDeviceSize o = std::min(off, size);
    return BufferSlice{buffer, offset + o, std::min(bytes, size - o)};
}

// --- Buffer --------------------------------------------------------------------

Result<std::unique_ptr<Buffer>> Buffer::create(Device& device, MemoryKind kind, VkDeviceSize bytes, std::string name) {
    const DeviceCaps& caps = device.caps();
    const std::string what = "buffer '" + name + "' (" + formatBytes(bytes) + ")";
    if (bytes == 0) return errorf("%s: a buffer needs at least one byte", what.c_str());
    if (bytes > caps.maxMemoryAllocationSize)
        return errorf(
            "%s: needs %s, more than the %s that %s allows in one allocation (maxMemoryAllocationSize); "
            "split it into several buffers or use a MemoryArena",
            what.c_str(), bytesText(bytes).c_str(), bytesText(caps.maxMemoryAllocationSize).c_str(), caps.name.c_str());
    if (caps.maxBufferSize && bytes > caps.maxBufferSize)
        return errorf("%s: needs %s, more than the %s maxBufferSize of %s", what.c_str(), bytesText(bytes).c_str(),
                      bytesText(caps.maxBufferSize).c_str(), caps.name.c_str());

    std::unique_ptr<Buffer> buf(new Buffer());
    buf->device_ = &device;
    buf->size_ = bytes;
    buf->kind_ = kind;
    buf->name_ = std::move(name);

    auto bci = vkStruct<VkBufferCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO);
    bci.size = bytes;
    bci.usage =
        VK_BUFFER_USAGE_STORAGE_BUFFER_BIT | VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
    if (caps.texelBuffers) bci.usage |= VK_BUFFER_USAGE_UNIFORM_TEXEL_BUFFER_BIT;
    bci.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
    if (VkResult r = vkCreateBuffer(device.handle(), &bci, nullptr, &buf->buffer_); r != VK_SUCCESS)
        return vkError("vkCreateBuffer", buf->name_ + ", " + formatBytes(bytes), r);

    VkMemoryRequirements req{};
    vkGetBufferMemoryRequirements(device.handle(), buf->buffer_, &req);

    const bool uma = caps.type == DeviceType::Integrated || caps.type == DeviceType::Cpu;
    VkMemoryPropertyFlags required = 0, preferred = 0, avoided = 0;
    switch (kind) {
        case MemoryKind::DeviceLocal:
            required = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
            preferred = uma ? VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT : 0;
            avoided = uma ? 0 : VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;  // keep the small BAR window for HostVisible
            break;
        case MemoryKind::HostVisible:
            required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
            preferred = VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
            break;
        case MemoryKind::Staging:
            required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
            avoided = uma ? 0 : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
            break;
        case MemoryKind::Readback:
            required = VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT;
            preferred = VK_MEMORY_PROPERTY_HOST_CACHED_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT;
            avoided = uma ? 0 : VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT;
            break;
        case MemoryKind::Count: return errorf("%s: invalid memory kind", what.c_str());
    }
    auto type = device.findMemoryType(req.memoryTypeBits, required, preferred, avoided, what);
    if (!type.ok() && kind == MemoryKind::DeviceLocal)  // no device-local type for buffers: take any
        type = device.findMemoryType(req.memoryTypeBits, 0, 0, 0, what);
    if (!type.ok()) return type.error();

    const VkMemoryType& mt = device.memoryProperties().memoryTypes[type.value()];
    buf->heap_ = mt.heapIndex;
    buf->flags_ = mt.propertyFlags;
    buf->coherent_ = (mt.propertyFlags & VK_MEMORY_PROPERTY_HOST_COHERENT_BIT) != 0;

    auto dedicated = vkStruct<VkMemoryDedicatedAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO);
    dedicated.buffer = buf->buffer_;
    auto mai = vkStruct<VkMemoryAllocateInfo>(VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO);
    mai.pNext = &dedicated;
    mai.allocationSize = req.size;
    mai.memoryTypeIndex = type.value();
    if (VkResult r = vkAllocateMemory(device.handle(), &mai, nullptr, &buf->memory_); r != VK_SUCCESS) {
        Error e = vkError("vkAllocateMemory", buf->name_ + ", " + formatBytes(req.size), r);
        const uint64_t heapSize = device.memoryProperties().memoryHeaps[mt.heapIndex].size;
        e.message += "; needs " + bytesText(req.size) + ", " + formatBytes(device.heapAvailable(mt.heapIndex)) +
                     " available of " + formatBytes(heapSize) + " in " + caps.name + " memory heap " +
                     std::to_string(mt.heapIndex);
        return e;
    }
    buf->allocated_ = req.size;
    device.noteAllocation(buf->heap_, static_cast<int64_t>(req.size));

    if (VkResult r = vkBindBufferMemory(device.handle(), buf->buffer_, buf->memory_, 0); r != VK_SUCCESS)
        return vkError("vkBindBufferMemory", buf->name_, r);
    if (mt.propertyFlags & VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT) {
        void* p = nullptr;
        if (VkResult r = vkMapMemory(device.handle(), buf->memory_, 0, VK_WHOLE_SIZE, 0, &p); r != VK_SUCCESS)
            return vkError("vkMapMemory", buf->name_ + ", " + formatBytes(bytes), r);
        buf->mapped_ = static_cast<std::byte*>(p);
    }
    return buf;
}

void Buffer::release() {
    if (!device_) return;
    const VkDevice d = device_->handle();
    if (views_) {
        for (const auto& [range, view] : views_->byRange) vkDestroyBufferView(d, view, nullptr);
        views_->byRange.clear();
    }
    if (buffer_ != VK_NULL_HANDLE) vkDestroyBuffer(d, buffer_, nullptr);
    if (memory_ != VK_NULL_HANDLE) {
        vkFreeMemory(d, memory_, nullptr);  // also unmaps
        device_->noteAllocation(heap_, -static_cast<int64_t>(allocated_));
    }
    buffer_ = VK_NULL_HANDLE;
    memory_ = VK_NULL_HANDLE;
    mapped_ = nullptr;
    device_ = nullptr;
}

Buffer::~Buffer() { release(); }

Buffer::Buffer(Buffer&& o) noexcept { *this = std::move(o); }

Buffer& Buffer::operator=(Buffer&& o) noexcept {
    if (this != &o) {
        release();
        std::swap(device_, o.device_);
        std::swap(buffer_, o.buffer_);
        std::swap(memory_, o.memory_);
        std::swap(size_, o.size_);
        std::swap(allocated_, o.allocated_);
        std::swap(heap_, o.heap_);
        std::swap(kind_, o.kind_);
        std::swap(flags_, o.flags_);
        std::swap(coherent_, o.coherent_);
        std::swap(mapped_, o.mapped_);
        std::swap(name_, o.name_);
        std::swap(views_, o.views_);
    }
    return *this;
}

uint32_t texelBytes(VkFormat format) {
    switch (format) {
        case VK_FORMAT_R32_UINT:
        case VK_FORMAT_R32_SFLOAT: return 4;
        case VK_FORMAT_R32G32B32A32_UINT:
        case VK_FORMAT_R32G32B32A32_SFLOAT: return 16;
        default: return 0;
    }
}

Result<VkBufferView> Buffer::texelView(VkDeviceSize offset, VkDeviceSize bytes, VkFormat format) const {
    if (!device_) return errorf("texel view of a released buffer");
    const DeviceCaps& caps = device_->caps();
    const uint32_t tb = texelBytes(format);
    // Named only on failure: this runs for every texel binding of every dispatch.
    auto fail = [&](const std::string& why) {
        return errorf("texel view of buffer '%s' [%llu, +%llu): %s", name_.c_str(),
                      static_cast<unsigned long long>(offset), static_cast<unsigned long long>(bytes), why.c_str());
    };
    if (!caps.texelBuffers) return fail("uniform texel buffers are off on " + caps.name);
    if (tb == 0) return fail("format " + std::to_string(format) + " is not a texel-view format");
    if (bytes == 0 || bytes % tb || bytes / tb > caps.maxTexelBufferElements)
        return fail("needs a whole number of " + std::to_string(tb) + "-byte texels, 1.." +
                    std::to_string(caps.maxTexelBufferElements) + " (maxTexelBufferElements)");
    if (caps.minTexelBufferOffsetAlignment && offset % caps.minTexelBufferOffsetAlignment)
        return fail("offset not a multiple of minTexelBufferOffsetAlignment " +
                    std::to_string(caps.minTexelBufferOffsetAlignment));
    if (offset > size_ || bytes > size_ - offset) return fail("outside the buffer of " + std::to_string(size_) + " bytes");
    std::lock_guard lock(views_->mu);
    const auto key = std::make_tuple(offset, bytes, format);
    if (auto it = views_->byRange.find(key); it != views_->byRange.end()) return it->second;
    auto ci = vkStruct<VkBufferViewCreateInfo>(VK_STRUCTURE_TYPE_BUFFER_VIEW_CREATE_INFO);
    ci.buffer = buffer_;
    ci.format = format;
    ci.offset = offset;
    ci.range = bytes;
    VkBufferView view = VK_NULL_HANDLE;
    if (VkResult r = vkCreateBufferView(device_->handle(), &ci, nullptr, &view); r != VK_SUCCESS)
        return vkError("vkCreateBufferView", name_, r);
    views_->byRange.emplace(key, view);
    return view;
}

namespace {

// The atom-aligned range covering [offset, offset+bytes), as flush/invalidate require.
VkMappedMemoryRange atomRange(VkDeviceMemory mem, VkDeviceSize offset, VkDeviceSize bytes, VkDeviceSize atom,
                              VkDeviceSize allocated) {
    atom = std::max<VkDeviceSize>(atom, 1);
    auto r = vkStruct<VkMappedMemoryRange>(VK_STRUCTURE_TYPE_MAPPED_MEMORY_RANGE);
    r.memory = mem;
    r.offset = offset / atom * atom;
    const VkDeviceSize end = std::min(alignUp(offset + bytes, atom), allocated);
    r.size = end - r.offset;
    return r;
}

}  // namespace

Status Buffer::flush(VkDeviceSize offset, VkDeviceSize bytes) const {
    if (coherent_ || !mapped_ || bytes == 0) return {};
    VkMappedMemoryRange r = atomRange(memory_, offset, bytes, device_->caps().nonCoherentAtomSize, allocated_);
    if (VkResult res = vkFlushMappedMemoryRanges(device_->handle(), 1, &r); res != VK_SUCCESS)
        return vkError("vkFlushMappedMemoryRanges", name_, res);
    return {};
}

Status Buffer::invalidate(VkDeviceSize offset, VkDeviceSize bytes) const {
    if (coherent_ || !mapped_ || bytes == 0) return {};
    VkMappedMemoryRange r = atomRange(memory_, offset, bytes, device_->caps().nonCoherentAtomSize, allocated_);
    if (VkResult res = vkInvalidateMappedMemoryRanges(device_->handle(), 1, &r); res != VK_SUCCESS)
        return vkError("vkInvalidateMappedMemoryRanges", name_, res);
    return {};
}

// --- MemoryArena ---------------------------------------------------------------

Result<std::unique_ptr<MemoryArena>> MemoryArena::create(Device& device, const Options& options) {
    const DeviceCaps& caps = device.caps();
    std::unique_ptr<MemoryArena> a(new MemoryArena());
    a->device_ = &device;
    a->options_ = options;
    a->limit_ = std::min(options.blockBytes, caps.maxMemoryAllocationSize);
    if (caps.maxBufferSize) a->limit_ = std::min(a->limit_, caps.maxBufferSize);
    a->alignment_ = std::max<VkDeviceSize>(caps.minStorageBufferOffsetAlignment, 16);
    if (a->limit_ == 0) return errorf("arena '%s': block size 0", options.name.c_str());
    return a;
}

Result<BufferSlice> MemoryArena::allocate(VkDeviceSize bytes, std::string_view what, VkDeviceSize alignment) {
    const VkDeviceSize align = std::max(alignment, alignment_);
    if (bytes == 0)
        return errorf("arena '%s': '%.*s' asks for 0 bytes", options_.name.c_str(), int(what.size()), what.data());
    if (align & (align - 1))
        return errorf("arena '%s': '%.*s' alignment %llu is not a power of two", options_.name.c_str(),
                      int(what.size()), what.data(), static_cast<unsigned long long>(align));
    if (bytes > limit_)
        return errorf("arena '%s': '%.*s' needs %s, but one block holds at most %s on %s; split it into pieces",
                      options_.name.c_str(), int(what.size()), what.data(), bytesText(bytes).c_str(),
                      bytesText(limit_).c_str(), device_->caps().name.c_str());
    for (size_t i = 0; i < blocks_.size(); ++i) {  // first fit over the blocks' tails
        const VkDeviceSize start = alignUp(used_[i], align);
        if (start + bytes <= blocks_[i]->size()) {
            used_[i] = start + bytes;
            return blocks_[i]->slice(start, bytes);
        }
    }
    VkDeviceSize blockBytes = std::min(options_.blockBytes, limit_);
    if (hint_) blockBytes = std::min(blockBytes, hint_);
    blockBytes = std::max(bytes, blockBytes);
    FACET_ASSIGN(auto block, Buffer::create(*device_, options_.kind, blockBytes,
                                            options_.name + " block " + std::to_string(blocks_.size())));
    blocks_.push_back(std::move(block));
    used_.push_back(bytes);
    return blocks_.back()->slice(0, bytes);
}

void MemoryArena::reset() { std::fill(used_.begin(), used_.end(), 0); }

VkDeviceSize MemoryArena::bytesUsed() const {
    VkDeviceSize s = 0;
    for (VkDeviceSize u : used_) s += u;
    return s;
}

VkDeviceSize MemoryArena::bytesReserved() const {
    VkDeviceSize s = 0;
    for (const auto& b : blocks_) s += b->size();
    return s;
}

}  // namespace facet::vk
