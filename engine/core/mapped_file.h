// MappedFile: read-only mmap of a whole file (RAII, move-only).
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"

namespace facet {

class MappedFile {
public:
    ~MappedFile();
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;

    static Result<std::unique_ptr<MappedFile>> open(const std::string& path);

    const uint8_t* data() const { return data_; }
    uint64_t size() const { return size_; }
    const std::string& path() const { return path_; }

private:
    MappedFile() = default;
    std::string path_;
    const uint8_t* data_ = nullptr;
    uint64_t size_ = 0;
};

}  // namespace facet
