// Read-only access to one zip container (DOCX, ODT, EPUB) in memory: entries
// are read into bounded buffers, never extracted to disk. Declared sizes,
// compression ratios and actual bytes are all checked, so a zip bomb is
// refused before it is inflated.
#pragma once

#include <QByteArray>
#include <QString>

#include <memory>

#include "core/result.h"
#include "extract_limits.h"

namespace facet::docs {

class ZipReader {
public:
    // Error messages start with "corrupt:".
    static Result<std::unique_ptr<ZipReader>> open(const QString& path, const ExtractLimits& limits);
    ~ZipReader();
    ZipReader(const ZipReader&) = delete;
    ZipReader& operator=(const ZipReader&) = delete;

    bool contains(const QString& name) const;
    // Error messages start with "zip bomb:", "encrypted:" or "corrupt:".
    Result<QByteArray> read(const QString& name);

private:
    ZipReader(void* zip, ExtractLimits limits) : zip_(zip), limits_(std::move(limits)) {}
    void* zip_;  // zip_t*
    ExtractLimits limits_;
    qint64 totalRead_ = 0;
};

}  // namespace facet::docs
