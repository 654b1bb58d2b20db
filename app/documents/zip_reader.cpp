#include "zip_reader.h"

#include <zip.h>

namespace facet::docs {

namespace {
zip_t* z(void* p) { return static_cast<zip_t*>(p); }
}  // namespace

Result<std::unique_ptr<ZipReader>> ZipReader::open(const QString& path, const ExtractLimits& limits) {
    int err = 0;
    zip_t* zip = zip_open(path.toLocal8Bit().constData(), ZIP_RDONLY, &err);
    if (!zip) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        Error e = errorf("corrupt: not a readable zip container (%s)", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return e;
    }
    return std::unique_ptr<ZipReader>(new ZipReader(zip, limits));
}

ZipReader::~ZipReader() { zip_discard(z(zip_)); }

bool ZipReader::contains(const QString& name) const {
    return zip_name_locate(z(zip_), name.toUtf8().constData(), 0) >= 0;
}

Result<QByteArray> ZipReader::read(const QString& name) {
    const QByteArray n = name.toUtf8();
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(z(zip_), n.constData(), 0, &st) != 0) return errorf("corrupt: zip entry '%s' is missing", n.constData());
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE)
        return errorf("encrypted: zip entry '%s' is encrypted", n.constData());
    if (!(st.valid & ZIP_STAT_SIZE)) return errorf("corrupt: zip entry '%s' has no size", n.constData());
    const qint64 size = qint64(st.size);
    if (size < 0 || size > limits_.maxEntryBytes)
        return errorf("zip bomb: entry '%s' expands to %lld bytes (limit %lld)", n.constData(), (long long)size,
                      (long long)limits_.maxEntryBytes);
    if ((st.valid & ZIP_STAT_COMP_SIZE) && size > (1 << 20) &&
        size / std::max<qint64>(1, qint64(st.comp_size)) > limits_.maxZipRatio)
        return errorf("zip bomb: entry '%s' expands %lld times (limit %d)", n.constData(),
                      (long long)(size / std::max<qint64>(1, qint64(st.comp_size))), limits_.maxZipRatio);
    if (totalRead_ + size > limits_.maxZipTotalBytes)
        return errorf("zip bomb: entries expand to more than %lld bytes", (long long)limits_.maxZipTotalBytes);

    zip_file_t* f = zip_fopen(z(zip_), n.constData(), 0);
    if (!f) return errorf("corrupt: cannot open zip entry '%s' (%s)", n.constData(), zip_strerror(z(zip_)));
    // Read one byte more than declared: a header that lies about the size is caught here.
    QByteArray data(size + 1, Qt::Uninitialized);
    qint64 got = 0;
    while (got < data.size()) {
        const zip_int64_t r = zip_fread(f, data.data() + got, zip_uint64_t(data.size() - got));
        if (r < 0) {
            Error e = errorf("corrupt: zip entry '%s': %s", n.constData(), zip_file_strerror(f));
            zip_fclose(f);
            return e;
        }
        if (r == 0) break;
        got += r;
    }
    zip_fclose(f);
    if (got != size)
        return errorf("%s: zip entry '%s' holds %lld bytes, header says %lld", got > size ? "zip bomb" : "corrupt",
                      n.constData(), (long long)got, (long long)size);
    data.truncate(size);
    totalRead_ += size;
    return data;
}

}  // namespace facet::docs
