// Dequantization: one hand-built block per supported type whose expected
// floats are computed here from the published layout (never by calling the
// engine's decoders), and quantize -> dequantize round trips. The type table
// and half / bfloat16 conversions are covered by tst_ggml_type.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "model/dequantize.h"
#include "model/ggml_type.h"
#include "model/quantize.h"

using namespace facet;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {

uint32_t bitsOf(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return u;
}

float floatOf(uint32_t u) {
    float f;
    std::memcpy(&f, &u, 4);
    return f;
}

void putU16(std::vector<uint8_t>& b, uint16_t v) {
    b.push_back(static_cast<uint8_t>(v & 0xFF));
    b.push_back(static_cast<uint8_t>(v >> 8));
}

void append(std::vector<uint8_t>& b, std::initializer_list<uint8_t> bytes) { b.insert(b.end(), bytes); }

// "" when `block` decodes to `want` bit for bit (so -0.0 vs 0.0 or a NaN
// payload would be caught), else the first mismatch.
QString mismatch(GgmlType t, const std::vector<uint8_t>& block, const std::vector<float>& want) {
    std::vector<float> got(want.size(), -12345.f);
    dequantizeRow(t, block.data(), got.data(), static_cast<int64_t>(want.size()));
    for (size_t i = 0; i < want.size(); ++i) {
        if (bitsOf(got[i]) != bitsOf(want[i])) {
            return QStringLiteral("element %1: got %2 (0x%3), expected %4 (0x%5)")
                .arg(i)
                .arg(double(got[i]), 0, 'g', 9)
                .arg(bitsOf(got[i]), 8, 16, QLatin1Char('0'))
                .arg(double(want[i]), 0, 'g', 9)
                .arg(bitsOf(want[i]), 8, 16, QLatin1Char('0'));
        }
    }
    return QString();
}

#define VERIFY_DECODES(type, block, want)                  \
    do {                                                   \
        const QString m_ = mismatch(type, block, want);    \
        QVERIFY2(m_.isEmpty(), qPrintable(m_));            \
    } while (0)

// 16 nibble-pair bytes shared by the 32-element block tests.
const uint8_t kQs16[16] = {0x00, 0xF1, 0x2E, 0x93, 0x84, 0x7B, 0x56, 0xA8,
                           0xC4, 0x1F, 0xE0, 0x39, 0x6D, 0xB2, 0x05, 0xFA};

// Element i of a 32-block: low nibbles hold 0..15, high nibbles 16..31.
int nibble(const uint8_t* qs, int i) { return i < 16 ? (qs[i] & 0x0F) : (qs[i - 16] >> 4); }

// K-quant 6-bit scales/mins chosen here, and the 12 bytes they pack into
// (worked out by hand: entries 4..7 put their top two bits in bytes 0..7).
const int kSc[8] = {13, 2, 63, 7, 33, 50, 1, 18};
const int kMin[8] = {5, 0, 21, 63, 40, 9, 17, 32};
const uint8_t kScales12[12] = {0x8D, 0xC2, 0x3F, 0x47, 0x85, 0x00, 0x55, 0xBF, 0x81, 0x92, 0x11, 0x02};

}  // namespace

class TstDequantize : public QObject {
    Q_OBJECT

private slots:
    void f32BlockIsCopiedBitExact();
    void f16BlockDecodesKnownPatterns();
    void bf16BlockDecodesKnownPatterns();
    void q4_0BlockMatchesLayout();
    void q4_1BlockMatchesLayout();
    void q5_0BlockMatchesLayout();
    void q5_1BlockMatchesLayout();
    void q8_0BlockMatchesLayout();
    void q4_KBlockMatchesLayout();
    void q5_KBlockMatchesLayout();
    void q6_KBlockMatchesLayout();

    void quantizeRoundTripStaysWithinBound_data();
    void quantizeRoundTripStaysWithinBound();
    void tensorRowAndDotUseTheRightRow();
    void unsupportedTypeYieldsNanNotGarbage();
};

void TstDequantize::f32BlockIsCopiedBitExact() {
    const uint32_t bits[] = {0x3FC00000u, 0x80000000u, 0x7F7FFFFFu, 0x00000001u, 0xC0E80000u, 0x7F800000u};
    std::vector<uint8_t> block;
    for (uint32_t b : bits) append(block, {uint8_t(b), uint8_t(b >> 8), uint8_t(b >> 16), uint8_t(b >> 24)});
    const std::vector<float> want = {1.5f, -0.0f, 3.40282346638528859812e+38f, floatOf(1), -7.25f, INFINITY};
    VERIFY_DECODES(GgmlType::F32, block, want);
}

void TstDequantize::f16BlockDecodesKnownPatterns() {
    const uint16_t bits[] = {0x3C00, 0xC000, 0x7BFF, 0x0001, 0x8400, 0x3555, 0x03FF, 0x8000, 0xFC00, 0x2E66};
    std::vector<uint8_t> block;
    for (uint16_t b : bits) putU16(block, b);
    const std::vector<float> want = {1.0f,           -2.0f,     65504.0f,  5.9604644775390625e-08f, -6.103515625e-05f,
                                     0.333251953125f, 6.097555160522461e-05f, -0.0f, -INFINITY, 0.0999755859375f};
    VERIFY_DECODES(GgmlType::F16, block, want);
}

void TstDequantize::bf16BlockDecodesKnownPatterns() {
    const uint16_t bits[] = {0x3F80, 0xC2F7, 0x4049, 0x0001, 0x7F80, 0x8000};
    std::vector<uint8_t> block;
    for (uint16_t b : bits) putU16(block, b);
    const std::vector<float> want = {1.0f, -123.5f, 3.140625f, 9.18354961579912115600575e-41f, INFINITY, -0.0f};
    VERIFY_DECODES(GgmlType::BF16, block, want);
}

void TstDequantize::q4_0BlockMatchesLayout() {
    std::vector<uint8_t> block;
    putU16(block, 0x3555);  // d = 0.333251953125
    block.insert(block.end(), kQs16, kQs16 + 16);
    const float d = 0.333251953125f;
    std::vector<float> want(32);
    for (int i = 0; i < 32; ++i) want[i] = float(nibble(kQs16, i) - 8) * d;
    QCOMPARE(want[1], -7.0f * d);   // byte 0xF1: element 1 is its low nibble 1
    QCOMPARE(want[17], 7.0f * d);   // ... and element 17 its high nibble 15
    VERIFY_DECODES(GgmlType::Q4_0, block, want);
}

void TstDequantize::q4_1BlockMatchesLayout() {
    std::vector<uint8_t> block;
    putU16(block, 0x2E66);  // d = 0.0999755859375
    putU16(block, 0xBC00);  // m = -1
    block.insert(block.end(), kQs16, kQs16 + 16);
    std::vector<float> want(32);
    for (int i = 0; i < 32; ++i) want[i] = float(nibble(kQs16, i)) * 0.0999755859375f + -1.0f;
    VERIFY_DECODES(GgmlType::Q4_1, block, want);
}

void TstDequantize::q5_0BlockMatchesLayout() {
    std::vector<uint8_t> block;
    putU16(block, 0x3A00);              // d = 0.75
    append(block, {0x96, 0x1E, 0xC3, 0xA5});  // qh = 0xA5C31E96: bit i is element i's 5th bit
    block.insert(block.end(), kQs16, kQs16 + 16);
    const uint32_t qh = 0xA5C31E96u;
    std::vector<float> want(32);
    for (int i = 0; i < 32; ++i) {
        const int q = nibble(kQs16, i) + 16 * int((qh >> i) & 1u);
        want[i] = float(q - 16) * 0.75f;
    }
    VERIFY_DECODES(GgmlType::Q5_0, block, want);
}

void TstDequantize::q5_1BlockMatchesLayout() {
    std::vector<uint8_t> block;
    putU16(block, 0x3266);  // d = 0.199951171875
    putU16(block, 0xC100);  // m = -2.5
    append(block, {0x0F, 0xF0, 0x5A, 0x3C});
    block.insert(block.end(), kQs16, kQs16 + 16);
    const uint32_t qh = 0x3C5AF00Fu;
    std::vector<float> want(32);
    for (int i = 0; i < 32; ++i) {
        const int q = nibble(kQs16, i) + 16 * int((qh >> i) & 1u);
        want[i] = float(q) * 0.199951171875f + -2.5f;
    }
    VERIFY_DECODES(GgmlType::Q5_1, block, want);
}

void TstDequantize::q8_0BlockMatchesLayout() {
    const int8_t qs[32] = {-128, 127, 0, 1, -1, 64, -64, 100, -100, 33, -77, 12, 5, -5, 90, -90,
                           15,   -16, 2, 3, 99, -99, 42, -42,  7,    -7, 120, -120, 55, -56, 18, -19};
    std::vector<uint8_t> block;
    putU16(block, 0x2D1F);  // d = 0.08001708984375
    for (int8_t q : qs) block.push_back(static_cast<uint8_t>(q));
    std::vector<float> want(32);
    for (int i = 0; i < 32; ++i) want[i] = float(qs[i]) * 0.08001708984375f;
    VERIFY_DECODES(GgmlType::Q8_0, block, want);
}

void TstDequantize::q4_KBlockMatchesLayout() {
    std::vector<uint8_t> block;
    putU16(block, 0x3555);  // d = 0.333251953125
    putU16(block, 0x2E66);  // dmin = 0.0999755859375
    block.insert(block.end(), kScales12, kScales12 + 12);
    uint8_t qs[128];
    for (int l = 0; l < 128; ++l) qs[l] = static_cast<uint8_t>(l * 29 + 7);
    block.insert(block.end(), qs, qs + 128);
    QCOMPARE(block.size(), size_t(144));
    const float d = 0.333251953125f, dmin = 0.0999755859375f;
    std::vector<float> want(256);
    for (int e = 0; e < 256; ++e) {
        const int sub = e / 32;  // 8 sub-blocks of 32; pairs share 32 bytes of qs
        const uint8_t byte = qs[32 * (e / 64) + e % 32];
        const int q = (sub % 2 == 0) ? (byte & 0x0F) : (byte >> 4);
        want[e] = d * float(kSc[sub]) * float(q) - dmin * float(kMin[sub]);
    }
    VERIFY_DECODES(GgmlType::Q4_K, block, want);
}

void TstDequantize::q5_KBlockMatchesLayout() {
    std::vector<uint8_t> block;
    putU16(block, 0x3A80);  // d = 0.8125
    putU16(block, 0x3555);  // dmin = 0.333251953125
    block.insert(block.end(), kScales12, kScales12 + 12);
    uint8_t qh[32], qs[128];
    for (int l = 0; l < 32; ++l) qh[l] = static_cast<uint8_t>(l * 53 + 19);
    for (int l = 0; l < 128; ++l) qs[l] = static_cast<uint8_t>(l * 71 + 3);
    block.insert(block.end(), qh, qh + 32);
    block.insert(block.end(), qs, qs + 128);
    QCOMPARE(block.size(), size_t(176));
    const float d = 0.8125f, dmin = 0.333251953125f;
    std::vector<float> want(256);
    for (int e = 0; e < 256; ++e) {
        const int sub = e / 32;
        const uint8_t byte = qs[32 * (e / 64) + e % 32];
        const int low = (sub % 2 == 0) ? (byte & 0x0F) : (byte >> 4);
        const int high = (qh[e % 32] >> sub) & 1;  // sub-block s takes bit s of qh[l]
        want[e] = d * float(kSc[sub]) * float(low + 16 * high) - dmin * float(kMin[sub]);
    }
    VERIFY_DECODES(GgmlType::Q5_K, block, want);
}

void TstDequantize::q6_KBlockMatchesLayout() {
    uint8_t ql[128], qh[64];
    for (int l = 0; l < 128; ++l) ql[l] = static_cast<uint8_t>(l * 13 + 5);
    for (int l = 0; l < 64; ++l) qh[l] = static_cast<uint8_t>(l * 97 + 41);
    const int8_t sc[16] = {12, -7, 127, -128, 1, 0, 45, -33, 90, -1, 3, 64, -64, 17, -99, 8};
    std::vector<uint8_t> block(ql, ql + 128);
    block.insert(block.end(), qh, qh + 64);
    for (int8_t s : sc) block.push_back(static_cast<uint8_t>(s));
    putU16(block, 0x2E66);  // d = 0.0999755859375
    QCOMPARE(block.size(), size_t(210));
    const float d = 0.0999755859375f;
    std::vector<float> want(256);
    for (int e = 0; e < 256; ++e) {
        const int half = e / 128, r = e % 128, k = r / 32, l = r % 32;
        // Quarter k of a 128-half: ql byte l (k = 0, 2) or l + 32 (k = 1, 3),
        // low nibble for k < 2; 2 high bits from bits 2k..2k+1 of qh[l].
        const uint8_t lowByte = ql[64 * half + l + (k % 2) * 32];
        const int low = k < 2 ? (lowByte & 0x0F) : (lowByte >> 4);
        const int high = (qh[32 * half + l] >> (2 * k)) & 3;
        want[e] = d * float(sc[e / 16]) * float((low | (high << 4)) - 32);
    }
    VERIFY_DECODES(GgmlType::Q6_K, block, want);
}

void TstDequantize::quantizeRoundTripStaysWithinBound_data() {
    QTest::addColumn<GgmlType>("type");
    QTest::addColumn<double>("tol");  // max |error| as a fraction of the block's max |x|
    QTest::newRow("F32") << GgmlType::F32 << 0.0;
    QTest::newRow("F16") << GgmlType::F16 << 1.0 / 2048;
    QTest::newRow("BF16") << GgmlType::BF16 << 1.0 / 256;
    QTest::newRow("Q8_0") << GgmlType::Q8_0 << 0.0045;
    // Q4_0/Q5_0 map the signed max to -8d (-16d); the other sign reaches only
    // +7d (+15d), so values there can be off by a whole step d = amax/8 (/16).
    QTest::newRow("Q4_0") << GgmlType::Q4_0 << 0.13;
    QTest::newRow("Q4_1") << GgmlType::Q4_1 << 0.075;
    QTest::newRow("Q5_0") << GgmlType::Q5_0 << 0.065;
    QTest::newRow("Q5_1") << GgmlType::Q5_1 << 0.04;
    QTest::newRow("Q4_K") << GgmlType::Q4_K << 0.1;
    QTest::newRow("Q5_K") << GgmlType::Q5_K << 0.055;
    QTest::newRow("Q6_K") << GgmlType::Q6_K << 0.025;
}

void TstDequantize::quantizeRoundTripStaysWithinBound() {
    QFETCH(GgmlType, type);
    QFETCH(double, tol);
    const int64_t n = 256 * 12;
    std::mt19937 rng(1234);
    std::normal_distribution<float> normal(0.f, 1.f);
    std::vector<float> x(n);
    for (int64_t i = 0; i < n; ++i) x[i] = normal(rng);
    // Edge blocks: all zero, constant, shifted far from zero, tiny, one outlier.
    for (int i = 0; i < 256; ++i) {
        x[i] = 0.f;
        x[256 + i] = 0.37f;
        x[512 + i] += 20.f;
        x[768 + i] *= 1e-3f;
    }
    x[1024 + 77] = 40.f;

    const std::vector<uint8_t> q = quantizeToBytes(type, x.data(), n);
    QCOMPARE(q.size(), size_t(rowBytes(type, n)));
    std::vector<float> y(n);
    dequantizeRow(type, q.data(), y.data(), n);

    const int64_t block = typeInfo(type).blockElems == 1 ? 1 : typeInfo(type).blockElems;
    for (int64_t b = 0; b < n; b += block) {
        double amax = 0;
        for (int64_t i = b; i < b + block; ++i) amax = std::max(amax, double(std::fabs(x[i])));
        for (int64_t i = b; i < b + block; ++i) {
            QVERIFY2(std::isfinite(y[i]), qPrintable(QStringLiteral("element %1 is not finite").arg(i)));
            const double err = std::fabs(double(y[i]) - double(x[i]));
            // The absolute floor covers F16 values in the half-subnormal range.
            QVERIFY2(err <= tol * amax + 0x1p-25,
                     qPrintable(QStringLiteral("element %1: x=%2 y=%3 err=%4 > %5 * block amax %6")
                                    .arg(i).arg(x[i]).arg(y[i]).arg(err).arg(tol).arg(amax)));
        }
    }
    for (int i = 0; i < 256; ++i) QCOMPARE(y[i], 0.f);  // zeros must stay exactly zero
}

void TstDequantize::tensorRowAndDotUseTheRightRow() {
    const int64_t ne0 = 256, rows = 3;
    std::vector<float> x(ne0 * rows), v(ne0);
    std::mt19937 rng(7);
    std::uniform_real_distribution<float> uni(-2.f, 2.f);
    for (float& f : x) f = uni(rng);
    for (float& f : v) f = uni(rng);
    const std::vector<uint8_t> q = quantizeToBytes(GgmlType::Q5_K, x.data(), ne0 * rows);
    TensorView t;
    t.type = GgmlType::Q5_K;
    t.ne = {ne0, rows, 1, 1};
    t.nDims = 2;
    t.data = q.data();
    t.nbytes = q.size();
    std::vector<float> all(ne0 * rows), row(ne0), scratch(ne0);
    dequantizeRow(GgmlType::Q5_K, q.data(), all.data(), ne0 * rows);
    for (int64_t r = 0; r < rows; ++r) {
        dequantizeTensorRow(t, r, row.data());
        QVERIFY(std::memcmp(row.data(), all.data() + r * ne0, ne0 * sizeof(float)) == 0);
        double want = 0;
        for (int64_t i = 0; i < ne0; ++i) want += double(all[r * ne0 + i]) * double(v[i]);
        QCOMPARE(dotRow(t, r, v.data(), scratch.data()), want);
    }
}

void TstDequantize::unsupportedTypeYieldsNanNotGarbage() {
    // Callers must filter types first; a slip must not read as plausible weights.
    const std::vector<uint8_t> block(74, 0x55);
    std::vector<float> out(256, 1.f);
    dequantizeRow(GgmlType::IQ2_XS, block.data(), out.data(), 256);
    for (float f : out) QVERIFY(std::isnan(f));
    std::vector<uint8_t> q(74, 0xAA);
    quantizeRow(GgmlType::IQ2_XS, out.data(), q.data(), 256);  // writes nothing
    QVERIFY(std::all_of(q.begin(), q.end(), [](uint8_t b) { return b == 0xAA; }));
    QVERIFY(quantizeToBytes(GgmlType::Q8_0, out.data(), 33).empty());
}

QTEST_GUILESS_MAIN(TstDequantize)
#include "tst_dequantize.moc"
