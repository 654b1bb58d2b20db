// MappedFile: read-only whole-file mmap. Model files are many GiB, so we map
// rather than read, and let the kernel page weights in on demand.
#include "core/mapped_file.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace facet {

namespace {

// Closes the descriptor on every exit path; the mapping outlives it.
struct FdGuard {
    int fd = -1;
    ~FdGuard() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

MappedFile::~MappedFile() {
    if (data_ != nullptr && size_ > 0) {
        ::munmap(const_cast<uint8_t*>(data_), static_cast<size_t>(size_));
    }
}

Result<std::unique_ptr<MappedFile>> MappedFile::open(const std::string& path) {
    FdGuard guard;
    guard.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (guard.fd < 0) {
        int err = errno;
        return errorf("%s: cannot open for reading: %s", path.c_str(), std::strerror(err));
    }
    struct stat st {};
    if (::fstat(guard.fd, &st) != 0) {
        int err = errno;
        return errorf("%s: cannot stat: %s", path.c_str(), std::strerror(err));
    }
    if (!S_ISREG(st.st_mode)) {
        return errorf("%s: not a regular file", path.c_str());
    }

    std::unique_ptr<MappedFile> file(new MappedFile());
    file->path_ = path;
    file->size_ = static_cast<uint64_t>(st.st_size);
    // mmap rejects length 0; an empty file is simply a valid zero-byte view.
    if (file->size_ == 0) return file;
    if (file->size_ > static_cast<uint64_t>(SIZE_MAX)) {
        return errorf("%s: file of %llu bytes does not fit the address space", path.c_str(),
                      static_cast<unsigned long long>(file->size_));
    }

    void* p = ::mmap(nullptr, static_cast<size_t>(file->size_), PROT_READ, MAP_PRIVATE, guard.fd, 0);
    if (p == MAP_FAILED) {
        int err = errno;
        file->size_ = 0;
        return errorf("%s: mmap of %llu bytes failed: %s", path.c_str(),
                      static_cast<unsigned long long>(st.st_size), std::strerror(err));
    }
    file->data_ = static_cast<const uint8_t*>(p);
    return file;
}

}  // namespace facet
