// Host bytes into device buffers: through a ring of staging chunks (copy of
// chunk i on the GPU overlaps the memcpy into chunk i+1), or by a plain memcpy
// when the target is mapped (UMA devices, ReBAR). Progress is reported in
// bytes that have reached the device. download() reads back (tests, dumps).
#pragma once

#include <volk.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "core/result.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/row_interleave.h"
#include "vulkan/vk_commands.h"

namespace facet::vk {

class Device;

// Called with bytes done and total; the last call has done == total.
using UploadProgress = std::function<void(uint64_t done, uint64_t total)>;

struct UploadItem {
    UploadItem() = default;
    UploadItem(BufferSlice d, const void* s, size_t n, RowInterleave l = {}) : dst(d), src(s), bytes(n), layout(l) {}

    BufferSlice dst;  // receives the first `bytes` bytes
    const void* src = nullptr;
    size_t bytes = 0;
    // Active: src holds layout.rows rows of layout.rowBytes and dst receives
    // their row-interleaved image, `bytes` = layout.imageBytes().
    RowInterleave layout;
};

struct UploaderOptions {
    VkDeviceSize chunkBytes = VkDeviceSize(16) << 20;  // per staging chunk
    uint32_t chunks = 3;                               // ring size
    bool forceStaging = false;  // stage even into mapped targets (tests the copy path on UMA devices)
    std::chrono::nanoseconds timeout = Cmd::kDefaultTimeout;  // per chunk
};

class Uploader {
public:
    static Result<std::unique_ptr<Uploader>> create(Device& device, const UploaderOptions& options = {});
    Uploader(Uploader&&) noexcept = default;
    Uploader& operator=(Uploader&&) noexcept = default;
    Uploader(const Uploader&) = delete;
    Uploader& operator=(const Uploader&) = delete;

    // Every item, with one progress count over all of them. Returns when the
    // data is on the device; shader reads recorded after this are ordered
    // after the copies (each chunk ends with a transfer->compute barrier).
    // Targets must not be in use by pending GPU work.
    Status upload(std::span<const UploadItem> items, const UploadProgress& progress = {});
    Status upload(const BufferSlice& dst, const void* src, size_t bytes, const UploadProgress& progress = {});

    // Copies the first `bytes` of `src` to host memory, after all work
    // submitted to the queue so far.
    Status download(const BufferSlice& src, void* dst, size_t bytes);

    const UploaderOptions& options() const { return options_; }

private:
    Uploader() = default;
    Status closeChunk(size_t slot);
    Status retire(size_t slot, uint64_t total, const UploadProgress& progress);

    Device* device_ = nullptr;
    UploaderOptions options_;
    std::unique_ptr<Buffer> staging_;
    std::unique_ptr<Buffer> readback_;  // created on the first staged download
    std::vector<std::unique_ptr<Cmd>> cmds_;
    std::vector<uint64_t> inFlight_;  // bytes per slot, counted when the slot's fence is waited
    uint64_t done_ = 0;
};

}  // namespace facet::vk
