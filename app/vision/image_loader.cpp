#include "image_loader.h"

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QImageReader>

#include <cstring>

namespace facet {

namespace {

// The most a decoder may allocate for one picture, in MiB: kMaxImagePixels
// (64 Mi) at 8 bytes a pixel (16-bit RGBA PNG), so a picture our size check
// admits always decodes, and a header that lies cannot ask for more.
// QImageReader's limit is process-wide (Qt's default is 256).
constexpr int kAllocationLimitMiB = 512;

std::string text(const QString& s) { return s.toStdString(); }

// libjpeg decodes a truncated JPEG without an error (it warns "Premature end
// of JPEG file" and fills the rest with gray), so Qt returns a picture. A
// complete JPEG has an end-of-image marker (FF D9) after its last
// start-of-scan (FF DA); entropy-coded data never holds either pair (every FF
// there is followed by 00 or a restart marker D0..D7), and an EXIF thumbnail
// or an MPF second picture is a complete JPEG of its own.
bool jpegLooksTruncated(const QByteArray& bytes) {
    const auto sos = bytes.lastIndexOf(QByteArray("\xff\xda", 2));
    if (sos < 0) return true;
    return bytes.indexOf(QByteArray("\xff\xd9", 2), sos + 2) < 0;
}

Result<RgbImage> toRgb(const QImage& image) {
    RgbImage out;
    out.width = image.width();
    out.height = image.height();
    out.rgb.resize(size_t(out.width) * size_t(out.height) * 3);
    if (image.format() == QImage::Format_RGB888) {
        for (int y = 0; y < out.height; ++y)
            std::memcpy(out.rgb.data() + size_t(y) * size_t(out.width) * 3, image.constScanLine(y),
                        size_t(out.width) * 3);
        return out;
    }
    // RGBA8888 is not premultiplied: colour stays as stored, alpha is then
    // dropped (stb_image's 3-channel load, §3.1 step 1). Gray and palette
    // pictures expand to R = G = B.
    const QImage rgba = image.convertToFormat(QImage::Format_RGBA8888);
    if (rgba.isNull()) return errorf("out of memory converting a %d×%d picture to RGB", out.width, out.height);
    for (int y = 0; y < out.height; ++y) {
        const uchar* src = rgba.constScanLine(y);
        uint8_t* dst = out.rgb.data() + size_t(y) * size_t(out.width) * 3;
        for (int x = 0; x < out.width; ++x) {
            dst[x * 3 + 0] = src[x * 4 + 0];
            dst[x * 3 + 1] = src[x * 4 + 1];
            dst[x * 3 + 2] = src[x * 4 + 2];
        }
    }
    return out;
}

Result<RgbImage> decode(QIODevice* device, const QByteArray& bytes, const std::string& what) {
    // Set once (a magic static), not on every call: the limit is a plain
    // process-wide int that other threads' readers read.
    static const bool limitSet = (QImageReader::setAllocationLimit(kAllocationLimitMiB), true);
    (void)limitSet;
    QImageReader reader(device);
    reader.setDecideFormatFromContent(true);  // a .jpg that holds a PNG is a PNG
    reader.setAutoTransform(true);            // EXIF orientation
    if (!reader.canRead())
        return errorf("%s: not a picture in a supported format (%s)", what.c_str(),
                      text(reader.errorString()).c_str());
    const QByteArray format = reader.format();

    // Bound the picture by its header before any pixel is allocated.
    const QSize size = reader.size();
    if (size.isValid()) {
        const int64_t pixels = int64_t(size.width()) * size.height();
        if (size.width() > kMaxImageSide || size.height() > kMaxImageSide || pixels > kMaxImagePixels)
            return errorf("%s: %s picture of %d×%d pixels, expected at most %d per side and %lld in all",
                          what.c_str(), format.constData(), size.width(), size.height(), kMaxImageSide,
                          static_cast<long long>(kMaxImagePixels));
    }

    QImage image;
    if (!reader.read(&image) || image.isNull())
        return errorf("%s: cannot decode the %s picture: %s (truncated or corrupt file?)", what.c_str(),
                      format.constData(), text(reader.errorString()).c_str());
    if (format == "jpeg" && jpegLooksTruncated(bytes))
        return errorf("%s: truncated JPEG (no end-of-image marker after the last scan)", what.c_str());
    // A format without a size in its header is bounded by the allocation
    // limit; hold it to the same size rule as the others.
    const int64_t pixels = int64_t(image.width()) * image.height();
    if (image.width() > kMaxImageSide || image.height() > kMaxImageSide || pixels > kMaxImagePixels)
        return errorf("%s: %d×%d pixels, expected at most %d per side and %lld in all", what.c_str(),
                      image.width(), image.height(), kMaxImageSide, static_cast<long long>(kMaxImagePixels));
    auto rgb = toRgb(image);
    if (!rgb) return errorf("%s: %s", what.c_str(), rgb.message().c_str());
    return rgb;
}

Result<RgbImage> decodeBytes(const QByteArray& bytes, const std::string& what) {
    if (bytes.isEmpty()) return errorf("%s: empty (0 bytes)", what.c_str());
    QBuffer buffer;
    buffer.setData(bytes);
    if (!buffer.open(QIODevice::ReadOnly)) return errorf("%s: cannot read", what.c_str());
    return decode(&buffer, bytes, what);
}

}  // namespace

Result<RgbImage> loadImageFile(const QString& path) {
    const std::string what = text(path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return errorf("%s: cannot open: %s", what.c_str(), text(file.errorString()).c_str());
    // The compressed file is read whole (the JPEG end check needs it); bound
    // it like the decoded picture: no honest 64-megapixel file is larger.
    constexpr qint64 kMaxFileBytes = kMaxImagePixels * 8;
    if (file.size() > kMaxFileBytes)
        return errorf("%s: %lld bytes, expected at most %lld for a picture", what.c_str(),
                      static_cast<long long>(file.size()), static_cast<long long>(kMaxFileBytes));
    const QByteArray bytes = file.readAll();
    if (file.error() != QFileDevice::NoError)
        return errorf("%s: read error: %s", what.c_str(), text(file.errorString()).c_str());
    return decodeBytes(bytes, what);
}

Result<RgbImage> loadImageData(const QByteArray& bytes) { return decodeBytes(bytes, "image data"); }

}  // namespace facet
