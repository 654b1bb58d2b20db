#include "vulkan/vk_upload.h"

#include <algorithm>
#include <cstring>

#include "vulkan/vk_device.h"
#include "vulkan/vk_error.h"

namespace facet::vk {

Result<std::unique_ptr<Uploader>> Uploader::create(Device& device, const UploaderOptions& options) {
    if (options.chunkBytes < 4096 || options.chunks == 0)
        return errorf("uploader: chunks of %llu bytes x %u (at least 4096 bytes and one chunk)",
                      static_cast<unsigned long long>(options.chunkBytes), options.chunks);
    std::unique_ptr<Uploader> u(new Uploader());
    u->device_ = &device;
    u->options_ = options;
    FACET_ASSIGN(u->staging_,
                 Buffer::create(device, MemoryKind::Staging, options.chunkBytes * options.chunks, "staging ring"));
    for (uint32_t i = 0; i < options.chunks; ++i) {
        FACET_ASSIGN(auto cmd, Cmd::create(device, "upload chunk " + std::to_string(i)));
        u->cmds_.push_back(std::move(cmd));
    }
    u->inFlight_.assign(options.chunks, 0);
    return u;
}

Status Uploader::closeChunk(size_t slot) {
    // Copies -> any later shader or copy on this queue (the barrier's second
    // scope covers all later submissions in order).
    cmds_[slot]->transferToComputeBarrier();
    cmds_[slot]->computeToTransferBarrier();
    return cmds_[slot]->submit();
}

Status Uploader::retire(size_t slot, uint64_t total, const UploadProgress& progress) {
    if (!cmds_[slot]->pending()) return {};
    FACET_TRY(cmds_[slot]->wait(options_.timeout));
    done_ += inFlight_[slot];
    inFlight_[slot] = 0;
    if (progress) progress(done_, total);
    return {};
}

Status Uploader::upload(std::span<const UploadItem> items, const UploadProgress& progress) {
    uint64_t total = 0;
    for (size_t i = 0; i < items.size(); ++i) {
        const UploadItem& it = items[i];
        if (it.bytes == 0) continue;
        if (!it.dst.buffer || !it.src)
            return errorf("upload item %zu: %s", i, it.src ? "no target buffer" : "no source bytes");
        if (it.layout.active() && (it.bytes != it.layout.imageBytes() || it.layout.rowBytes % 16))
            return errorf("upload item %zu: %zu bytes for an interleaved image of %llu rows of %llu bytes", i,
                          it.bytes, static_cast<unsigned long long>(it.layout.rows),
                          static_cast<unsigned long long>(it.layout.rowBytes));
        if (it.bytes > it.dst.size)
            return errorf("upload item %zu: %zu bytes into %llu bytes of buffer '%s'", i, it.bytes,
                          static_cast<unsigned long long>(it.dst.size), it.dst.buffer->name().c_str());
        total += it.bytes;
    }
    done_ = 0;
    const VkDeviceSize chunk = options_.chunkBytes;
    size_t slot = 0;
    VkDeviceSize used = 0;  // bytes of the open chunk; 0 = no chunk open

    for (const UploadItem& it : items) {
        const auto* src = static_cast<const std::byte*>(it.src);
        if (it.bytes && it.dst.host() && !options_.forceStaging) {
            for (size_t off = 0; off < it.bytes; off += chunk) {  // in pieces, so progress moves
                const size_t n = std::min<size_t>(chunk, it.bytes - off);
                writeInterleaved(it.layout, src, off, it.dst.host() + off, n);
                FACET_TRY(it.dst.buffer->flush(it.dst.offset + off, n));
                done_ += n;
                if (progress) progress(done_, total);
            }
            continue;
        }
        for (size_t off = 0; off < it.bytes;) {
            if (used == 0) {  // open chunk `slot`: its previous copy must be finished
                FACET_TRY(retire(slot, total, progress));
                FACET_TRY(cmds_[slot]->begin());
            }
            const size_t n = std::min<size_t>(chunk - used, it.bytes - off);
            const BufferSlice stage = staging_->slice(slot * chunk + used, n);
            writeInterleaved(it.layout, src, off, stage.host(), n);
            cmds_[slot]->copy(stage, it.dst.sub(off, n));
            inFlight_[slot] += n;
            used += n;
            off += n;
            if (used == chunk) {
                FACET_TRY(closeChunk(slot));
                slot = (slot + 1) % cmds_.size();
                used = 0;
            }
        }
    }
    if (used) {
        FACET_TRY(closeChunk(slot));
        slot = (slot + 1) % cmds_.size();
    }
    for (size_t k = 0; k < cmds_.size(); ++k)  // `slot` is now the oldest in flight
        FACET_TRY(retire((slot + k) % cmds_.size(), total, progress));
    if (progress && total == 0) progress(0, 0);
    return {};
}

Status Uploader::upload(const BufferSlice& dst, const void* src, size_t bytes, const UploadProgress& progress) {
    const UploadItem item{dst, src, bytes};
    return upload(std::span<const UploadItem>(&item, 1), progress);
}

Status Uploader::download(const BufferSlice& src, void* dst, size_t bytes) {
    if (!src.buffer || bytes > src.size)
        return errorf("download: %zu bytes from %llu bytes of buffer '%s'", bytes,
                      static_cast<unsigned long long>(src.size), src.buffer ? src.buffer->name().c_str() : "(none)");
    if (bytes == 0) return {};
    for (size_t k = 0; k < cmds_.size(); ++k) FACET_TRY(cmds_[k]->wait(options_.timeout));
    Cmd& cmd = *cmds_[0];
    auto* out = static_cast<std::byte*>(dst);

    if (src.host() && !options_.forceStaging) {
        // Make earlier device writes visible to the host, then read the mapping.
        FACET_TRY(cmd.begin());
        cmd.toHostBarrier();
        FACET_TRY(cmd.submitAndWait(options_.timeout));
        FACET_TRY(src.buffer->invalidate(src.offset, bytes));
        std::memcpy(out, src.host(), bytes);
        return {};
    }
    if (!readback_) {
        FACET_ASSIGN(readback_, Buffer::create(*device_, MemoryKind::Readback, options_.chunkBytes, "readback"));
    }
    for (size_t off = 0; off < bytes; off += options_.chunkBytes) {
        const size_t n = std::min<size_t>(options_.chunkBytes, bytes - off);
        FACET_TRY(cmd.begin());
        cmd.computeToTransferBarrier();
        cmd.copy(src.sub(off, n), readback_->slice(0, n));
        cmd.toHostBarrier();
        FACET_TRY(cmd.submitAndWait(options_.timeout));
        FACET_TRY(readback_->invalidate(0, n));
        std::memcpy(out + off, readback_->mapped(), n);
    }
    return {};
}

}  // namespace facet::vk
