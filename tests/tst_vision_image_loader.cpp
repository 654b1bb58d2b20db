// Decoding pictures for image input (app/vision/image_loader): PNG and JPEG,
// EXIF orientation, the format taken from the bytes, and hostile files
// refused with a clear message before anything large is allocated.
#include <QtTest>

#include <QBuffer>
#include <QFile>
#include <QImage>
#include <QImageReader>
#include <QImageWriter>
#include <QTemporaryDir>
#include <QtEndian>

#include "image_loader.h"

using namespace facet;

namespace {

// JPEG at quality 95 on smooth areas: a few levels off at most.
constexpr int kJpegTolerance = 12;

// A picture with distinct pixels everywhere (checks row order and channels).
QImage pattern(int w, int h) {
    QImage img(w, h, QImage::Format_RGB888);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) img.setPixel(x, y, qRgb(x * 30 % 256, y * 40 % 256, (x + y) * 17 % 256));
    return img;
}

QByteArray encoded(const QImage& img, const char* format, int quality = -1) {
    QByteArray bytes;
    QBuffer buf(&bytes);
    buf.open(QIODevice::WriteOnly);
    QImageWriter writer(&buf, format);
    if (quality >= 0) writer.setQuality(quality);
    if (!writer.write(img)) qWarning("cannot encode %s: %s", format, qPrintable(writer.errorString()));
    return bytes;
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QRgb at(const RgbImage& img, int x, int y) {
    const uint8_t* p = img.rgb.data() + (size_t(y) * img.width + x) * 3;
    return qRgb(p[0], p[1], p[2]);
}

int maxDiff(QRgb a, QRgb b) {
    return std::max({std::abs(qRed(a) - qRed(b)), std::abs(qGreen(a) - qGreen(b)), std::abs(qBlue(a) - qBlue(b))});
}

// PNG's chunk CRC (ISO 3309 CRC-32, reflected polynomial 0xEDB88320).
quint32 crc32Of(const QByteArray& bytes) {
    quint32 crc = 0xffffffffu;
    for (const char ch : bytes) {
        crc ^= quint8(ch);
        for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

QByteArray pngChunk(const char* type, const QByteArray& data) {
    char be[4];
    QByteArray chunk;
    qToBigEndian(quint32(data.size()), be);
    chunk.append(be, 4);
    const QByteArray body = QByteArray(type) + data;
    chunk.append(body);
    qToBigEndian(crc32Of(body), be);
    chunk.append(be, 4);
    return chunk;
}

// A well-formed PNG claiming w×h 8-bit RGB with an empty IDAT: the header
// (everything up to the first IDAT) is valid, there are no pixels.
QByteArray pngWithoutPixels(quint32 w, quint32 h) {
    char be[4];
    QByteArray ihdr;
    qToBigEndian(w, be);
    ihdr.append(be, 4);
    qToBigEndian(h, be);
    ihdr.append(be, 4);
    ihdr.append("\x08\x02\x00\x00\x00", 5);  // depth 8, colour type 2 (RGB), deflate, no filter, no interlace
    return QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr) + pngChunk("IDAT", {}) +
           pngChunk("IEND", {});
}

}  // namespace

class TstVisionImageLoader : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString path(const QString& name) const { return dir_.filePath(name); }

private slots:
    void initTestCase() { QVERIFY(dir_.isValid()); }

    void decodesPngExactly() {
        const QImage src = pattern(7, 5);
        QVERIFY(src.save(path(QStringLiteral("p.png"))));
        auto img = loadImageFile(path(QStringLiteral("p.png")));
        QVERIFY2(img.ok(), img.ok() ? "" : img.message().c_str());
        QCOMPARE(img->width, 7);
        QCOMPARE(img->height, 5);
        QCOMPARE(img->rgb.size(), size_t(7 * 5 * 3));
        for (int y = 0; y < 5; ++y)
            for (int x = 0; x < 7; ++x) QCOMPARE(at(*img, x, y), src.pixel(x, y));
    }

    void decodesJpeg() {
        QImage src(32, 16, QImage::Format_RGB888);
        src.fill(qRgb(200, 60, 30));
        QVERIFY(writeFile(path(QStringLiteral("j.jpg")), encoded(src, "jpeg", 95)));
        auto img = loadImageFile(path(QStringLiteral("j.jpg")));
        QVERIFY2(img.ok(), img.ok() ? "" : img.message().c_str());
        QCOMPARE(img->width, 32);
        QCOMPARE(img->height, 16);
        for (int y = 0; y < 16; ++y)
            for (int x = 0; x < 32; ++x) QVERIFY(maxDiff(at(*img, x, y), qRgb(200, 60, 30)) <= kJpegTolerance);
    }

    // WebP through Qt's image format plugins (qt6-image-formats-plugins, in
    // scripts/debian-packages.txt): lossless, so every pixel comes back.
    void decodesWebp() {
        QVERIFY2(QImageWriter::supportedImageFormats().contains("webp"), "the WebP image plugin is not installed");
        const QImage src = pattern(9, 6);
        QVERIFY(writeFile(path(QStringLiteral("w.webp")), encoded(src, "webp", 100)));
        auto img = loadImageFile(path(QStringLiteral("w.webp")));
        QVERIFY2(img.ok(), img.ok() ? "" : img.message().c_str());
        QCOMPARE(img->width, 9);
        QCOMPARE(img->height, 6);
        for (int y = 0; y < 6; ++y)
            for (int x = 0; x < 9; ++x) QCOMPARE(at(*img, x, y), src.pixel(x, y));
    }

    // A camera stores the pixels as shot plus an EXIF orientation tag; the
    // loader must turn the picture upright. (Qt's JPEG writer rotates the
    // pixels instead of writing a tag, so the tag is spliced in by hand.)
    void appliesExifOrientation_data() {
        QTest::addColumn<int>("orientation");
        QTest::addColumn<QSize>("size");
        QTest::addColumn<QPoint>("red");   // where the left (red) half of the stored picture ends up
        QTest::addColumn<QPoint>("blue");  // and the right (blue) half
        QTest::newRow("1 upright") << 1 << QSize(16, 8) << QPoint(4, 4) << QPoint(12, 4);
        QTest::newRow("3 rotate 180") << 3 << QSize(16, 8) << QPoint(12, 4) << QPoint(4, 4);
        QTest::newRow("6 rotate 90 cw") << 6 << QSize(8, 16) << QPoint(4, 3) << QPoint(4, 12);
        QTest::newRow("8 rotate 90 ccw") << 8 << QSize(8, 16) << QPoint(4, 12) << QPoint(4, 3);
    }
    void appliesExifOrientation() {
        QFETCH(int, orientation);
        QFETCH(QSize, size);
        QFETCH(QPoint, red);
        QFETCH(QPoint, blue);
        QImage src(16, 8, QImage::Format_RGB888);
        src.fill(qRgb(0, 0, 255));
        for (int y = 0; y < 8; ++y)
            for (int x = 0; x < 8; ++x) src.setPixel(x, y, qRgb(255, 0, 0));
        QByteArray bytes = encoded(src, "jpeg", 95);
        // APP1 "Exif": big-endian TIFF header, IFD0 with one entry, Orientation
        // (tag 0x0112, SHORT, count 1), no next IFD.
        QByteArray app1("\xff\xe1\x00\x22" "Exif\x00\x00" "MM\x00\x2a\x00\x00\x00\x08" "\x00\x01"
                        "\x01\x12\x00\x03\x00\x00\x00\x01\x00\x00\x00\x00" "\x00\x00\x00\x00", 36);
        app1[29] = char(orientation);  // the SHORT value, big-endian
        bytes.insert(2, app1);  // right after SOI
        {  // The stored pixels are 16×8.
            QBuffer buf(&bytes);
            buf.open(QIODevice::ReadOnly);
            QImageReader raw(&buf);
            raw.setAutoTransform(false);
            QCOMPARE(raw.read().size(), QSize(16, 8));
        }
        auto img = loadImageData(bytes);
        QVERIFY2(img.ok(), img.ok() ? "" : img.message().c_str());
        QCOMPARE(QSize(img->width, img->height), size);
        QVERIFY(maxDiff(at(*img, red.x(), red.y()), qRgb(255, 0, 0)) <= kJpegTolerance);
        QVERIFY(maxDiff(at(*img, blue.x(), blue.y()), qRgb(0, 0, 255)) <= kJpegTolerance);
    }

    // The format comes from the bytes: a PNG named .jpg and a JPEG named .png load.
    void ignoresTheExtension() {
        const QImage src = pattern(6, 4);
        QVERIFY(writeFile(path(QStringLiteral("png-named.jpg")), encoded(src, "png")));
        auto png = loadImageFile(path(QStringLiteral("png-named.jpg")));
        QVERIFY2(png.ok(), png.ok() ? "" : png.message().c_str());
        QCOMPARE(at(*png, 5, 3), src.pixel(5, 3));

        QVERIFY(writeFile(path(QStringLiteral("jpeg-named.png")), encoded(src, "jpeg", 95)));
        auto jpeg = loadImageFile(path(QStringLiteral("jpeg-named.png")));
        QVERIFY2(jpeg.ok(), jpeg.ok() ? "" : jpeg.message().c_str());
        QCOMPARE(jpeg->width, 6);
        QCOMPARE(jpeg->height, 4);
    }

    void rejectsNonImages_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        QTest::newRow("text named .png") << QByteArray("hello, this is not a picture\n")
                                         << QStringLiteral("not a picture in a supported format");
        QTest::newRow("empty file") << QByteArray() << QStringLiteral("empty (0 bytes)");
        QTest::newRow("png signature only") << QByteArray("\x89PNG\r\n\x1a\n", 8)
                                            << QStringLiteral(".png: ");
    }
    void rejectsNonImages() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        const QString file = path(QStringLiteral("bad.png"));
        QVERIFY(writeFile(file, bytes));
        auto img = loadImageFile(file);
        QVERIFY(!img.ok());
        const QString text = QString::fromStdString(img.message());
        QVERIFY2(text.startsWith(file), qPrintable(text));
        QVERIFY2(text.contains(message), qPrintable(text));
    }

    void rejectsMissingFile() {
        auto img = loadImageFile(path(QStringLiteral("missing.png")));
        QVERIFY(!img.ok());
        QVERIFY2(QString::fromStdString(img.message()).contains(QStringLiteral("missing.png: cannot open")),
                 img.message().c_str());
    }

    void rejectsTruncatedFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("message");
        const QImage src = pattern(64, 48);
        const QByteArray png = encoded(src, "png");
        const QByteArray jpeg = encoded(src, "jpeg", 95);
        QTest::newRow("png cut in half") << png.left(png.size() / 2) << QStringLiteral("cannot decode the png picture");
        QTest::newRow("jpeg cut in half") << jpeg.left(jpeg.size() / 2) << QStringLiteral("truncated JPEG");
        QTest::newRow("jpeg without its last 2 bytes") << jpeg.left(jpeg.size() - 2)
                                                       << QStringLiteral("truncated JPEG");
    }
    void rejectsTruncatedFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, message);
        auto img = loadImageData(bytes);
        QVERIFY(!img.ok());
        const QString text = QString::fromStdString(img.message());
        QVERIFY2(text.startsWith(QStringLiteral("image data: ")), qPrintable(text));
        QVERIFY2(text.contains(message), qPrintable(text));
    }

    // The truncation check is not fooled by what may follow a complete JPEG
    // (camera trailers, padding).
    void acceptsBytesAfterJpegEnd() {
        const QByteArray jpeg = encoded(pattern(16, 16), "jpeg", 95);
        auto padded = loadImageData(jpeg + QByteArray(100, '\0') + QByteArray("camera trailer\xff\xd9"));
        QVERIFY2(padded.ok(), padded.ok() ? "" : padded.message().c_str());
        QCOMPARE(padded->width, 16);
    }

    // A header that claims a huge picture is refused from the header alone:
    // the file has no pixel data, so a loader that went on to decode would
    // fail with another message (as the control row shows).
    void refusesHugeHeadersBeforeDecoding_data() {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::newRow("100000x100000") << 100000 << 100000;
        QTest::newRow("16385x1 (side)") << 16385 << 1;
        QTest::newRow("9000x9000 (81 MP)") << 9000 << 9000;
        QTest::newRow("64x64 (control)") << 64 << 64;
    }
    void refusesHugeHeadersBeforeDecoding() {
        QFETCH(int, w);
        QFETCH(int, h);
        auto img = loadImageData(pngWithoutPixels(quint32(w), quint32(h)));
        QVERIFY(!img.ok());
        if (w == 64) {  // control: a small header passes the check and fails in the decoder
            QVERIFY2(QString::fromStdString(img.message()).contains(QStringLiteral("cannot decode the png picture")),
                     img.message().c_str());
            return;
        }
        const QString expected = QStringLiteral("image data: png picture of %1×%2 pixels, expected at most 16384 per "
                                                "side and 67108864 in all").arg(w).arg(h);
        QCOMPARE(QString::fromStdString(img.message()), expected);
    }

    // stb_image's 3-channel load (spec §3.1 step 1): alpha is dropped, the
    // stored colour kept (no compositing on black or white).
    void dropsAlphaWithoutCompositing() {
        QImage src(2, 1, QImage::Format_ARGB32);
        src.setPixel(0, 0, qRgba(200, 100, 50, 0));
        src.setPixel(1, 0, qRgba(10, 20, 30, 128));
        const QByteArray png = encoded(src, "png");
        auto img = loadImageData(png);
        QVERIFY2(img.ok(), img.ok() ? "" : img.message().c_str());
        QCOMPARE(img->rgb, (std::vector<uint8_t>{200, 100, 50, 10, 20, 30}));
    }

    void replicatesGray_data() {
        QTest::addColumn<int>("format");
        QTest::newRow("grayscale8") << int(QImage::Format_Grayscale8);
        QTest::newRow("grayscale16") << int(QImage::Format_Grayscale16);
    }
    void replicatesGray() {
        QFETCH(int, format);
        QImage src(3, 2, QImage::Format_Grayscale8);
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 3; ++x) src.setPixel(x, y, qRgb(x * 70 + y * 9, x * 70 + y * 9, x * 70 + y * 9));
        auto img = loadImageData(encoded(src.convertToFormat(QImage::Format(format)), "png"));
        QVERIFY2(img.ok(), img.ok() ? "" : img.message().c_str());
        QCOMPARE(img->width, 3);
        QCOMPARE(img->height, 2);
        for (int y = 0; y < 2; ++y)
            for (int x = 0; x < 3; ++x) {
                const int v = x * 70 + y * 9;
                QCOMPARE(at(*img, x, y), qRgb(v, v, v));
            }
    }

    void decodesPalettePng() {
        QImage src(4, 1, QImage::Format_Indexed8);
        src.setColorTable({qRgb(1, 2, 3), qRgb(250, 128, 7)});
        for (int x = 0; x < 4; ++x) src.setPixel(x, 0, uint(x % 2));
        auto img = loadImageData(encoded(src, "png"));
        QVERIFY2(img.ok(), img.ok() ? "" : img.message().c_str());
        QCOMPARE(img->rgb, (std::vector<uint8_t>{1, 2, 3, 250, 128, 7, 1, 2, 3, 250, 128, 7}));
    }

    // Bytes in memory and the same bytes in a file decode alike.
    void dataAndFileAgree() {
        const QByteArray png = encoded(pattern(9, 9), "png");
        QVERIFY(writeFile(path(QStringLiteral("same.png")), png));
        auto fromFile = loadImageFile(path(QStringLiteral("same.png")));
        auto fromData = loadImageData(png);
        QVERIFY(fromFile.ok() && fromData.ok());
        QVERIFY(fromFile->rgb == fromData->rgb);
    }
};

QTEST_GUILESS_MAIN(TstVisionImageLoader)
#include "tst_vision_image_loader.moc"
