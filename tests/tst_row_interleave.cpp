// RowInterleave (engine/vulkan/row_interleave.h), the storage of Q4_0/Q8_0/Q4_K/Q5_K/Q6_K
// matrices on CPU devices: every byte of every row lands where imageOffset
// says, texel by texel with the tile's rows side by side; padding rows are
// zero; the image written in arbitrary chunks equals the image written at
// once; an inactive layout is a plain copy.
#include <QtTest>
#include <cstring>
#include <random>
#include <vector>

#include "vulkan/row_interleave.h"

using namespace facet;

class TstRowInterleave : public QObject {
    Q_OBJECT

    static std::vector<std::byte> randomBytes(size_t n, uint32_t seed) {
        std::mt19937 rng(seed);
        std::vector<std::byte> v(n);
        for (auto& b : v) b = std::byte(1 + rng() % 255);  // never zero: padding is told apart
        return v;
    }

private slots:
    void placesEveryByte_data() {
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("rowBytes");
        QTest::addColumn<int>("tileRows");
        QTest::newRow("whole tiles") << 64 << 144 << 32;
        QTest::newRow("a padded last tile") << 37 << 864 << 32;
        QTest::newRow("fewer rows than a tile") << 5 << 32 << 8;
        QTest::newRow("one-row tiles") << 9 << 48 << 1;
    }

    void placesEveryByte() {
        QFETCH(int, rows);
        QFETCH(int, rowBytes);
        QFETCH(int, tileRows);
        const vk::RowInterleave l{uint32_t(tileRows), uint64_t(rows), uint64_t(rowBytes)};
        QVERIFY(l.active());
        QCOMPARE(l.paddedRows(), uint64_t((rows + tileRows - 1) / tileRows * tileRows));
        QCOMPARE(l.imageBytes(), l.paddedRows() * rowBytes);
        const auto src = randomBytes(size_t(rows) * rowBytes, uint32_t(rows * rowBytes));
        std::vector<std::byte> image(l.imageBytes());
        vk::writeInterleaved(l, src.data(), 0, image.data(), image.size());

        // Each byte where imageOffset puts it, and imageOffset a bijection
        // onto the image: every image byte is a source byte or padding.
        std::vector<int> hits(image.size(), 0);
        for (int r = 0; r < rows; ++r)
            for (int b = 0; b < rowBytes; ++b) {
                const uint64_t at = l.imageOffset(r, b);
                QVERIFY(at < image.size());
                QCOMPARE(image[at], src[size_t(r) * rowBytes + b]);
                ++hits[at];
            }
        for (size_t i = 0; i < image.size(); ++i) {
            QVERIFY2(hits[i] <= 1, "two bytes at one place");
            if (hits[i] == 0) QCOMPARE(image[i], std::byte(0));  // padding
        }
        // The layout itself: texel j of row s of a tile follows texel j of row s - 1.
        if (rows >= 2 && tileRows >= 2) QCOMPARE(l.imageOffset(1, 0), l.imageOffset(0, 0) + 16);
        QCOMPARE(l.imageOffset(0, 16), uint64_t(16) * tileRows);

        // Chunks of any size and alignment give the same image.
        for (uint64_t chunk : {1ull, 7ull, 16ull, 100ull}) {
            std::vector<std::byte> pieces(image.size(), std::byte(0xAA));
            for (uint64_t off = 0; off < pieces.size(); off += chunk)
                vk::writeInterleaved(l, src.data(), off, pieces.data() + off, std::min<uint64_t>(chunk, pieces.size() - off));
            QVERIFY2(pieces == image, qPrintable(QString("chunks of %1").arg(chunk)));
        }
    }

    // Padded blocks (Q6_K: 210 -> 224 bytes): each source block's bytes at
    // the start of its stored block, zeros after, whatever the chunking.
    void padsBlocks() {
        const int rows = 11, blocks = 3;
        vk::RowInterleave l{8, uint64_t(rows), uint64_t(blocks) * 224, 210, 224};
        QVERIFY(l.padded());
        QCOMPARE(l.srcRowBytes(), uint64_t(blocks) * 210);
        const auto src = randomBytes(size_t(rows) * l.srcRowBytes(), 9);
        std::vector<std::byte> image(l.imageBytes(), std::byte(0xAA));
        for (uint64_t off = 0; off < image.size(); off += 13)  // chunks across texels and blocks
            vk::writeInterleaved(l, src.data(), off, image.data() + off, std::min<uint64_t>(13, image.size() - off));
        std::vector<int> hits(image.size(), 0);
        for (int r = 0; r < rows; ++r)
            for (int b = 0; b < blocks; ++b)
                for (int i = 0; i < 210; ++i) {
                    const uint64_t at = l.imageOffset(r, uint64_t(b) * 224 + i);
                    QCOMPARE(image[at], src[size_t(r) * l.srcRowBytes() + size_t(b) * 210 + i]);
                    ++hits[at];
                }
        for (size_t i = 0; i < image.size(); ++i)
            if (hits[i] == 0) QCOMPARE(image[i], std::byte(0));  // block and row padding
    }

    void inactiveIsAPlainCopy() {
        const vk::RowInterleave l{0, 5, 30};
        QVERIFY(!l.active());
        QCOMPARE(l.imageBytes(), uint64_t(150));
        QCOMPARE(l.imageOffset(3, 7), uint64_t(97));
        const auto src = randomBytes(150, 3);
        std::vector<std::byte> out(40);
        vk::writeInterleaved(l, src.data(), 20, out.data(), out.size());
        QVERIFY(std::memcmp(out.data(), src.data() + 20, out.size()) == 0);
    }
};

QTEST_GUILESS_MAIN(TstRowInterleave)
#include "tst_row_interleave.moc"
