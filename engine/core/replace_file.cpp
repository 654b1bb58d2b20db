#include "core/replace_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace facet {

Status replaceFile(const std::string& path, std::string_view bytes) {
    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return errorf("%s: cannot write (%s)", path.c_str(), std::strerror(errno));
    const bool written = std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size();
    const bool closed = std::fclose(f) == 0;
    std::error_code ec;
    if (!written || !closed) {
        std::filesystem::remove(tmp, ec);
        return errorf("%s: write failed (disk full?)", path.c_str());
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        return errorf("%s: %s", path.c_str(), ec.message().c_str());
    }
    return {};
}

}  // namespace facet
