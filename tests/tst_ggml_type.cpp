// The GGML type table (block geometry of every known type number, the
// supported set, row sizes) and the bit-exact half / bfloat16 conversions
// every dequantizer relies on.
#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>
#include <vector>

#include "model/ggml_type.h"

using namespace facet;

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

}  // namespace

class TstGgmlType : public QObject {
    Q_OBJECT

private slots:
    void typeTableGivesBlockGeometry_data();
    void typeTableGivesBlockGeometry();
    void unknownTypeNumbersHaveNoNameOrSize();
    void supportedSetIsExactlyTheElevenTypes();
    void rowBytesCountsWholeBlocks();

    void halfToFloatMatchesFormulaForAllPatterns();
    void floatToHalfRoundsToNearestEven_data();
    void floatToHalfRoundsToNearestEven();
    void floatToHalfMatchesCompilerConversion();
    void bf16ConversionEdgeCases_data();
    void bf16ConversionEdgeCases();
    void nanStaysNanBothWays();
};

void TstGgmlType::typeTableGivesBlockGeometry_data() {
    QTest::addColumn<uint32_t>("raw");
    QTest::addColumn<QString>("name");
    QTest::addColumn<uint32_t>("elems");
    QTest::addColumn<uint32_t>("bytes");
    const struct { uint32_t raw; const char* name; uint32_t e, b; } rows[] = {
        {0, "F32", 1, 4},        {1, "F16", 1, 2},         {2, "Q4_0", 32, 18},     {3, "Q4_1", 32, 20},
        {6, "Q5_0", 32, 22},     {7, "Q5_1", 32, 24},      {8, "Q8_0", 32, 34},     {9, "Q8_1", 32, 36},
        {10, "Q2_K", 256, 84},   {11, "Q3_K", 256, 110},   {12, "Q4_K", 256, 144},  {13, "Q5_K", 256, 176},
        {14, "Q6_K", 256, 210},  {15, "Q8_K", 256, 292},   {16, "IQ2_XXS", 256, 66}, {17, "IQ2_XS", 256, 74},
        {18, "IQ3_XXS", 256, 98}, {19, "IQ1_S", 256, 50},  {20, "IQ4_NL", 32, 18},  {21, "IQ3_S", 256, 110},
        {22, "IQ2_S", 256, 82},  {23, "IQ4_XS", 256, 136}, {24, "I8", 1, 1},        {25, "I16", 1, 2},
        {26, "I32", 1, 4},       {27, "I64", 1, 8},        {28, "F64", 1, 8},       {29, "IQ1_M", 256, 56},
        {30, "BF16", 1, 2},      {34, "TQ1_0", 256, 54},   {35, "TQ2_0", 256, 66},  {39, "MXFP4", 32, 17},
    };
    for (const auto& r : rows) QTest::newRow(r.name) << r.raw << QString::fromLatin1(r.name) << r.e << r.b;
}

void TstGgmlType::typeTableGivesBlockGeometry() {
    QFETCH(uint32_t, raw);
    QFETCH(QString, name);
    QFETCH(uint32_t, elems);
    QFETCH(uint32_t, bytes);
    const TypeInfo info = typeInfo(raw);
    QVERIFY(info.name != nullptr);
    QCOMPARE(QString::fromLatin1(info.name), name);
    QCOMPARE(info.blockElems, elems);
    QCOMPARE(info.blockBytes, bytes);
    QCOMPARE(QString::fromStdString(typeName(raw)), name);
}

void TstGgmlType::unknownTypeNumbersHaveNoNameOrSize() {
    for (uint32_t raw : {4u, 5u, 31u, 32u, 33u, 36u, 37u, 38u, 40u, 77u, 0xFFFFFFFFu}) {
        const TypeInfo info = typeInfo(raw);
        QVERIFY(info.name == nullptr);
        QCOMPARE(info.blockElems, 0u);
        QCOMPARE(info.blockBytes, 0u);
        QVERIFY(!isSupportedType(raw));
    }
    QCOMPARE(typeName(77), std::string("type 77"));
}

void TstGgmlType::supportedSetIsExactlyTheElevenTypes() {
    const std::vector<uint32_t> expected = {0, 1, 2, 3, 6, 7, 8, 12, 13, 14, 30};
    std::vector<uint32_t> got;
    for (uint32_t raw = 0; raw < 64; ++raw) {
        if (isSupportedType(raw)) got.push_back(raw);
    }
    QCOMPARE(got, expected);
}

void TstGgmlType::rowBytesCountsWholeBlocks() {
    QCOMPARE(rowBytes(GgmlType::F32, 10), uint64_t(40));
    QCOMPARE(rowBytes(GgmlType::BF16, 3), uint64_t(6));
    QCOMPARE(rowBytes(GgmlType::Q4_0, 64), uint64_t(36));
    QCOMPARE(rowBytes(GgmlType::Q6_K, 512), uint64_t(420));
    QCOMPARE(rowBytes(GgmlType::Q8_0, 33), uint64_t(0));  // not a whole number of blocks
    QCOMPARE(rowBytes(static_cast<GgmlType>(77), 256), uint64_t(0));
}

void TstGgmlType::halfToFloatMatchesFormulaForAllPatterns() {
    for (uint32_t h = 0; h < 0x10000; ++h) {
        const int sign = (h & 0x8000) ? -1 : 1;
        const int exp = (h >> 10) & 0x1F, mant = h & 0x3FF;
        const float got = halfToFloat(static_cast<uint16_t>(h));
        if (exp == 31) {
            QVERIFY(mant == 0 ? std::isinf(got) && std::signbit(got) == (sign < 0) : std::isnan(got));
            continue;
        }
        const double want = sign * (exp == 0 ? std::ldexp(double(mant), -24) : std::ldexp(double(1024 + mant), exp - 25));
        QVERIFY2(double(got) == want && std::signbit(got) == (sign < 0), qPrintable(QString::number(h, 16)));
        QCOMPARE(floatToHalf(got), static_cast<uint16_t>(h));  // exact values survive the way back
    }
}

void TstGgmlType::floatToHalfRoundsToNearestEven_data() {
    QTest::addColumn<float>("in");
    QTest::addColumn<uint16_t>("want");
    QTest::newRow("one") << 1.0f << uint16_t(0x3C00);
    QTest::newRow("tie to even down") << (1.0f + 0x1p-11f) << uint16_t(0x3C00);
    QTest::newRow("tie to even up") << (1.0f + 3 * 0x1p-11f) << uint16_t(0x3C02);
    QTest::newRow("just above tie") << (1.0f + 0x1p-11f + 0x1p-23f) << uint16_t(0x3C01);
    QTest::newRow("max finite") << 65504.0f << uint16_t(0x7BFF);
    QTest::newRow("below overflow tie") << 65519.996f << uint16_t(0x7BFF);
    QTest::newRow("overflow tie -> inf") << 65520.0f << uint16_t(0x7C00);
    QTest::newRow("large -> -inf") << -1e10f << uint16_t(0xFC00);
    QTest::newRow("inf") << INFINITY << uint16_t(0x7C00);
    QTest::newRow("-inf") << -INFINITY << uint16_t(0xFC00);
    QTest::newRow("-0") << -0.0f << uint16_t(0x8000);
    QTest::newRow("min subnormal") << 0x1p-24f << uint16_t(0x0001);
    QTest::newRow("half min subnormal tie -> 0") << 0x1p-25f << uint16_t(0x0000);
    QTest::newRow("above half min subnormal") << (0x1p-25f * 1.0000001f) << uint16_t(0x0001);
    QTest::newRow("1.5 subnormal tie -> 2") << (3 * 0x1p-25f) << uint16_t(0x0002);
    QTest::newRow("subnormal carries to normal") << (1023.5f * 0x1p-24f) << uint16_t(0x0400);
    QTest::newRow("tiny -> -0") << -1e-10f << uint16_t(0x8000);
    QTest::newRow("float subnormal -> 0") << floatOf(1) << uint16_t(0x0000);
    QTest::newRow("third") << (1.0f / 3.0f) << uint16_t(0x3555);
}

void TstGgmlType::floatToHalfRoundsToNearestEven() {
    QFETCH(float, in);
    QFETCH(uint16_t, want);
    QCOMPARE(floatToHalf(in), want);
}

void TstGgmlType::floatToHalfMatchesCompilerConversion() {
#ifdef __FLT16_MAX__
    std::mt19937 rng(99);
    for (int i = 0; i < 2000000; ++i) {
        uint32_t u = rng();
        // Bias half the samples into the half-precision exponent range.
        if (i & 1) u = (u & 0x807FFFFFu) | ((100u + (u >> 23) % 45u) << 23);
        const float f = floatOf(u);
        if (std::isnan(f)) continue;
        const _Float16 h = static_cast<_Float16>(f);
        uint16_t want;
        std::memcpy(&want, &h, 2);
        if (floatToHalf(f) != want) QFAIL(qPrintable(QStringLiteral("float bits 0x%1").arg(u, 8, 16, QLatin1Char('0'))));
    }
#else
    QSKIP("compiler has no _Float16 to compare against");
#endif
}

void TstGgmlType::bf16ConversionEdgeCases_data() {
    QTest::addColumn<uint32_t>("inBits");
    QTest::addColumn<uint16_t>("want");
    QTest::newRow("one") << 0x3F800000u << uint16_t(0x3F80);
    QTest::newRow("tie to even down") << 0x3F808000u << uint16_t(0x3F80);
    QTest::newRow("tie to even up") << 0x3F818000u << uint16_t(0x3F82);
    QTest::newRow("round up") << 0x3F80FFFFu << uint16_t(0x3F81);
    QTest::newRow("max finite -> inf") << 0x7F7FFFFFu << uint16_t(0x7F80);
    QTest::newRow("inf") << 0x7F800000u << uint16_t(0x7F80);
    QTest::newRow("-inf") << 0xFF800000u << uint16_t(0xFF80);
    QTest::newRow("-0") << 0x80000000u << uint16_t(0x8000);
    QTest::newRow("subnormal") << 0x00010000u << uint16_t(0x0001);
    QTest::newRow("-123.5") << 0xC2F70000u << uint16_t(0xC2F7);
}

void TstGgmlType::bf16ConversionEdgeCases() {
    QFETCH(uint32_t, inBits);
    QFETCH(uint16_t, want);
    QCOMPARE(floatToBf16(floatOf(inBits)), want);
    QCOMPARE(bitsOf(bf16ToFloat(want)), uint32_t(want) << 16);
}

void TstGgmlType::nanStaysNanBothWays() {
    // Payloads that would truncate to zero mantissa must not become infinity.
    for (uint32_t bits : {0x7F800001u, 0xFF800001u, 0x7FC00000u, 0x7F801FFFu}) {
        const float f = floatOf(bits);
        const uint16_t h = floatToHalf(f);
        QVERIFY((h & 0x7C00) == 0x7C00 && (h & 0x03FF) != 0);
        QCOMPARE(bool(h & 0x8000), bool(bits >> 31));
        QVERIFY(std::isnan(halfToFloat(h)));
        const uint16_t b = floatToBf16(f);
        QVERIFY((b & 0x7F80) == 0x7F80 && (b & 0x007F) != 0);
        QVERIFY(std::isnan(bf16ToFloat(b)));
    }
}

QTEST_GUILESS_MAIN(TstGgmlType)
#include "tst_ggml_type.moc"
