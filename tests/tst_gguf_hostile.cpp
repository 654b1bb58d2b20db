// Hostile GGUF input: each named corruption is patched into a valid written
// file and must fail (through both fromBuffer and open) with a message that
// says what is wrong; a seeded byte-flip/truncation fuzz loop must never crash.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <random>

#include "model/dequantize.h"
#include "model/gguf_file.h"
#include "model/gguf_writer.h"

using namespace facet;

namespace {

enum class Corruption {
    EmptyFile,
    TruncatedHeader,
    TruncatedInMetadata,
    TruncatedTensorData,
    BadMagic,
    Version1,
    ByteSwappedVersion,
    FutureVersion,
    AbsurdKvCount,
    AbsurdTensorCount,
    AbsurdStringLength,
    AbsurdArrayCount,
    BadUtf8Key,
    BadUtf8Value,
    BadUtf8TensorName,
    NestedArray,
    UnknownValueType,
    UnknownArrayElementType,
    DuplicateKey,
    DuplicateTensor,
    BoolByteNotZeroOrOne,
    UInt64AboveInt64Max,
    NDims0,
    NDims5,
    ZeroNe,
    AbsurdNeOverflow,
    OffsetPastEnd,
    MisalignedOffset,
    OverlappingTensors,
    Ne0NotMultipleOfBlock,
    AlignmentZero,
    AlignmentThree,
    AlignmentNotInteger,
    UnknownTensorType,
};

QByteArray le64(uint64_t v) {
    QByteArray b(8, '\0');
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xFF);
    return b;
}

QByteArray le32(uint32_t v) { return le64(v).left(4); }

// The base file: every patch below finds its field through a unique
// length-prefixed key or tensor name, so the layout can change freely.
QByteArray validFile() {
    GgufWriter w(3);
    w.addUInt32("general.alignment", 32);
    w.addString("general.architecture", "gemma4");
    w.addUInt32("key.b", 7);
    w.addUInt32("key.a", 1);
    w.addStringArray("arr.str", {"x", "yy"});
    w.addIntArray("arr.i32", GgufValueType::Int32, {1, 2, 3});
    w.addBool("flag", true);
    w.addUInt64("big", 5);
    w.addTensor("tensor.alpha", GgmlType::F32, {32, 2}, std::vector<uint8_t>(256, 0x3F));  // data [0, 256)
    w.addTensor("tensor.beta", GgmlType::Q8_0, {64, 1}, std::vector<uint8_t>(68, 0x11));   // data [256, 324)
    w.addTensor("tensor.gamma", GgmlType::F16, {32}, std::vector<uint8_t>(64, 0x22));      // data [352, 416)
    auto bytes = w.serialize();
    if (!bytes.ok()) qFatal("writer failed: %s", bytes.message().c_str());
    return QByteArray(reinterpret_cast<const char*>(bytes->data()), static_cast<qsizetype>(bytes->size()));
}

// Offset just past the length-prefixed string `s` (a key or tensor name).
qsizetype after(const QByteArray& b, const char* s) {
    const QByteArray pat = le64(std::strlen(s)) + QByteArray(s);
    const qsizetype at = b.indexOf(pat);
    if (at < 0 || b.indexOf(pat, at + 1) >= 0) qFatal("pattern '%s' not unique in base file", s);
    return at + pat.size();
}

void put(QByteArray& b, qsizetype at, const QByteArray& bytes) { b.replace(at, bytes.size(), bytes); }

QByteArray corrupt(Corruption c) {
    QByteArray b = validFile();
    // Tensor record fields: n_dims at +0, ne at +4, then type and offset.
    auto tensorField = [&](const char* name, int dims, const char* field) -> qsizetype {
        const qsizetype at = after(b, name);
        if (std::strcmp(field, "ndims") == 0) return at;
        if (std::strcmp(field, "ne") == 0) return at + 4;
        if (std::strcmp(field, "type") == 0) return at + 4 + 8 * dims;
        return at + 8 + 8 * dims;  // offset
    };
    switch (c) {
        case Corruption::EmptyFile: return QByteArray();
        case Corruption::TruncatedHeader: return b.left(10);
        case Corruption::TruncatedInMetadata: return b.left(after(b, "key.a") + 4 + 2);  // mid u32 value
        case Corruption::TruncatedTensorData: return b.left(b.size() - 40);
        case Corruption::BadMagic: put(b, 0, "GGML"); break;
        case Corruption::Version1: put(b, 4, le32(1)); break;
        case Corruption::ByteSwappedVersion: put(b, 4, QByteArray("\0\0\0\3", 4)); break;
        case Corruption::FutureVersion: put(b, 4, le32(4)); break;
        case Corruption::AbsurdKvCount: put(b, 16, le64(uint64_t(1) << 40)); break;
        case Corruption::AbsurdTensorCount: put(b, 8, le64(uint64_t(1) << 50)); break;
        case Corruption::AbsurdStringLength: put(b, after(b, "general.architecture") + 4, le64(uint64_t(1) << 62)); break;
        case Corruption::AbsurdArrayCount: put(b, after(b, "arr.str") + 8, le64(uint64_t(1) << 60)); break;
        case Corruption::BadUtf8Key: b[after(b, "key.a") - 1] = char(0xFF); break;
        case Corruption::BadUtf8Value: b[after(b, "general.architecture") + 4 + 8 + 2] = char(0xC0); break;
        case Corruption::BadUtf8TensorName: b[after(b, "tensor.gamma") - 3] = char(0xED); break;
        case Corruption::NestedArray: put(b, after(b, "arr.i32") + 4, le32(9)); break;
        case Corruption::UnknownValueType: put(b, after(b, "key.a"), le32(13)); break;
        case Corruption::UnknownArrayElementType: put(b, after(b, "arr.i32") + 4, le32(200)); break;
        case Corruption::DuplicateKey: b[after(b, "key.b") - 1] = 'a'; break;
        case Corruption::DuplicateTensor: put(b, after(b, "tensor.gamma") - 5, "alpha"); break;
        case Corruption::BoolByteNotZeroOrOne: b[after(b, "flag") + 4] = 2; break;
        case Corruption::UInt64AboveInt64Max: put(b, after(b, "big") + 4, le64(uint64_t(1) << 63)); break;
        case Corruption::NDims0: put(b, tensorField("tensor.beta", 2, "ndims"), le32(0)); break;
        case Corruption::NDims5: put(b, tensorField("tensor.beta", 2, "ndims"), le32(5)); break;
        case Corruption::ZeroNe: put(b, tensorField("tensor.alpha", 2, "ne") + 8, le64(0)); break;
        case Corruption::AbsurdNeOverflow: put(b, tensorField("tensor.alpha", 2, "ne"), le64(uint64_t(1) << 62)); break;
        case Corruption::OffsetPastEnd: put(b, tensorField("tensor.gamma", 1, "offset"), le64(uint64_t(1) << 40)); break;
        case Corruption::MisalignedOffset: put(b, tensorField("tensor.beta", 2, "offset"), le64(257)); break;
        case Corruption::OverlappingTensors: put(b, tensorField("tensor.beta", 2, "offset"), le64(224)); break;
        case Corruption::Ne0NotMultipleOfBlock: put(b, tensorField("tensor.beta", 2, "ne"), le64(48)); break;
        case Corruption::AlignmentZero: put(b, after(b, "general.alignment") + 4, le32(0)); break;
        case Corruption::AlignmentThree: put(b, after(b, "general.alignment") + 4, le32(3)); break;
        case Corruption::AlignmentNotInteger: put(b, after(b, "general.alignment"), le32(6)); break;  // float32
        case Corruption::UnknownTensorType: put(b, tensorField("tensor.beta", 2, "type"), le32(77)); break;
    }
    return b;
}

std::vector<uint8_t> toVector(const QByteArray& b) { return std::vector<uint8_t>(b.begin(), b.end()); }

// Touches every byte a successfully opened file exposes, so ASan sees any
// view that points outside the buffer.
void exerciseViews(const GgufFile& f) {
    for (const GgufTensorInfo& info : f.tensors()) {
        auto v = f.view(info);
        if (!v.ok()) continue;
        if (v->fileOffset + v->nbytes > f.fileSize()) QFAIL("view outside the file");
        std::vector<float> row(static_cast<size_t>(v->ne[0]));
        dequantizeTensorRow(v.value(), v->rows() - 1, row.data());
        dequantizeTensorRow(v.value(), 0, row.data());
    }
}

}  // namespace

Q_DECLARE_METATYPE(Corruption)

class TstGgufHostile : public QObject {
    Q_OBJECT

private slots:
    void validBaseFileOpensBothWays();
    void corruptionIsRejectedWithReason_data();
    void corruptionIsRejectedWithReason();
    void unsupportedButKnownTypeOpensButViewNamesIt();
    void missingFileReportsPathAndReason();
    void randomFlipsAndTruncationsNeverCrash();
};

void TstGgufHostile::validBaseFileOpensBothWays() {
    const QByteArray b = validFile();
    auto mem = GgufFile::fromBuffer(toVector(b), "base.gguf");
    QVERIFY2(mem.ok(), mem.ok() ? "" : mem.message().c_str());
    QCOMPARE(mem.value()->tensors().size(), size_t(3));
    QCOMPARE(mem.value()->findTensor("tensor.gamma")->offset, uint64_t(352));
    exerciseViews(*mem.value());

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("base.gguf"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(b);
    out.close();
    auto file = GgufFile::open(path.toStdString());
    QVERIFY2(file.ok(), file.ok() ? "" : file.message().c_str());
    QCOMPARE(file.value()->fileSize(), uint64_t(b.size()));
    exerciseViews(*file.value());
}

void TstGgufHostile::corruptionIsRejectedWithReason_data() {
    QTest::addColumn<Corruption>("corruption");
    QTest::addColumn<QString>("phrase");
    using C = Corruption;
    QTest::newRow("empty file") << C::EmptyFile << "truncated at offset 0";
    QTest::newRow("truncated header") << C::TruncatedHeader << "truncated at offset 8 while reading the tensor count";
    QTest::newRow("truncated in metadata") << C::TruncatedInMetadata << "while reading value of key 'key.a'";
    QTest::newRow("truncated tensor data") << C::TruncatedTensorData << "'tensor.gamma' data";
    QTest::newRow("bad magic") << C::BadMagic << "not a GGUF file";
    QTest::newRow("version 1") << C::Version1 << "GGUF version 1 is not supported";
    QTest::newRow("byte-swapped version") << C::ByteSwappedVersion << "byte-swapped";
    QTest::newRow("version 4") << C::FutureVersion << "unsupported GGUF version 4";
    QTest::newRow("absurd kv count") << C::AbsurdKvCount << "metadata count 1099511627776 at offset 16 is impossible";
    QTest::newRow("absurd tensor count") << C::AbsurdTensorCount << "tensor count 1125899906842624";
    QTest::newRow("absurd string length") << C::AbsurdStringLength << "string length 4611686018427387904";
    QTest::newRow("absurd array count") << C::AbsurdArrayCount << "'arr.str' at offset";
    QTest::newRow("bad UTF-8 key") << C::BadUtf8Key << "metadata key #3 at offset";
    QTest::newRow("bad UTF-8 value") << C::BadUtf8Value << "string value of key 'general.architecture'";
    QTest::newRow("bad UTF-8 tensor name") << C::BadUtf8TensorName << "name of tensor #2";
    QTest::newRow("nested array") << C::NestedArray << "'arr.i32' at offset";
    QTest::newRow("unknown value type") << C::UnknownValueType << "unknown value type 13";
    QTest::newRow("unknown array element type") << C::UnknownArrayElementType << "unknown array element type 200";
    QTest::newRow("duplicate key") << C::DuplicateKey << "duplicate metadata key 'key.a'";
    QTest::newRow("duplicate tensor") << C::DuplicateTensor << "duplicate tensor 'tensor.alpha'";
    QTest::newRow("bool byte 2") << C::BoolByteNotZeroOrOne << "expected 0 or 1";
    QTest::newRow("uint64 above int64 max") << C::UInt64AboveInt64Max << "key 'big'";
    QTest::newRow("n_dims 0") << C::NDims0 << "has n_dims 0, expected 1..4";
    QTest::newRow("n_dims 5") << C::NDims5 << "has n_dims 5, expected 1..4";
    QTest::newRow("zero ne") << C::ZeroNe << "has ne[1] = 0, expected >= 1";
    QTest::newRow("absurd ne overflows") << C::AbsurdNeOverflow << "ne[1] = 2 makes the element count overflow int64";
    QTest::newRow("offset past end") << C::OffsetPastEnd << "runs past the end of the file";
    QTest::newRow("misaligned offset") << C::MisalignedOffset << "not a multiple of the alignment 32";
    QTest::newRow("overlapping tensors") << C::OverlappingTensors << "overlap";
    QTest::newRow("ne[0] not a block multiple") << C::Ne0NotMultipleOfBlock << "not a multiple of the block size 32";
    QTest::newRow("alignment 0") << C::AlignmentZero << "'general.alignment' is 0, expected a power of two";
    QTest::newRow("alignment 3") << C::AlignmentThree << "'general.alignment' is 3, expected a power of two";
    QTest::newRow("alignment float") << C::AlignmentNotInteger << "'general.alignment' has type float32";
    QTest::newRow("unknown tensor type") << C::UnknownTensorType << "'tensor.beta' at offset";
}

void TstGgufHostile::corruptionIsRejectedWithReason() {
    QFETCH(Corruption, corruption);
    QFETCH(QString, phrase);
    const QByteArray bad = corrupt(corruption);

    auto mem = GgufFile::fromBuffer(toVector(bad), "hostile.gguf");
    QVERIFY2(!mem.ok(), "fromBuffer accepted the corrupted file");
    const QString memMsg = QString::fromStdString(mem.message());
    QVERIFY2(memMsg.startsWith(QStringLiteral("hostile.gguf: ")), qPrintable(memMsg));
    QVERIFY2(memMsg.contains(phrase), qPrintable(memMsg));

    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("hostile.gguf"));
    QFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    out.write(bad);
    out.close();
    auto file = GgufFile::open(path.toStdString());
    QVERIFY2(!file.ok(), "open() accepted the corrupted file");
    const QString fileMsg = QString::fromStdString(file.message());
    QVERIFY2(fileMsg.startsWith(path + QStringLiteral(": ")), qPrintable(fileMsg));
    QVERIFY2(fileMsg.contains(phrase), qPrintable(fileMsg));
}

void TstGgufHostile::unsupportedButKnownTypeOpensButViewNamesIt() {
    GgufWriter w;
    w.addTensorRaw("blk.0.attn_q.weight", static_cast<uint32_t>(GgmlType::IQ2_XS), {256, 2}, std::vector<uint8_t>(148));
    w.addTensor("ok", GgmlType::F32, {4}, std::vector<uint8_t>(16));
    auto f = GgufFile::fromBuffer(w.serialize().value(), "model.gguf");
    QVERIFY2(f.ok(), f.ok() ? "" : f.message().c_str());
    const GgufTensorInfo* info = f.value()->findTensor("blk.0.attn_q.weight");
    QVERIFY(info != nullptr);
    QCOMPARE(info->nbytes, uint64_t(148));  // size known, so range checks still ran
    auto v = f.value()->view(*info);
    QVERIFY(!v.ok());
    QCOMPARE(QString::fromStdString(v.message()),
             QStringLiteral("model.gguf: tensor 'blk.0.attn_q.weight' has type IQ2_XS, which Facet cannot read "
                            "(supported: F32, F16, BF16, Q8_0, Q4_0, Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)"));
    QVERIFY(f.value()->view(*f.value()->findTensor("ok")).ok());

    // The same through patching a written Q8_0 tensor to IQ4_NL (same block count).
    QByteArray b = validFile();
    const qsizetype typeAt = after(b, "tensor.beta") + 4 + 16;
    put(b, typeAt, le32(static_cast<uint32_t>(GgmlType::IQ4_NL)));
    auto g = GgufFile::fromBuffer(toVector(b), "patched.gguf");
    QVERIFY2(g.ok(), g.ok() ? "" : g.message().c_str());
    auto gv = g.value()->view(*g.value()->findTensor("tensor.beta"));
    QVERIFY(!gv.ok());
    QVERIFY2(QString::fromStdString(gv.message()).contains("'tensor.beta' has type IQ4_NL"), gv.message().c_str());
}

void TstGgufHostile::missingFileReportsPathAndReason() {
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("nope.gguf")).toStdString();
    auto f = GgufFile::open(path);
    QVERIFY(!f.ok());
    QVERIFY2(QString::fromStdString(f.message()).contains(QString::fromStdString(path)), f.message().c_str());
    QVERIFY2(QString::fromStdString(f.message()).contains("No such file"), f.message().c_str());
    auto d = GgufFile::open(dir.path().toStdString());  // a directory is not a model
    QVERIFY(!d.ok());
}

void TstGgufHostile::randomFlipsAndTruncationsNeverCrash() {
    const QByteArray base = validFile();
    std::mt19937 rng(20240611);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("fuzz.gguf"));
    int opened = 0;
    for (int iter = 0; iter < 4000; ++iter) {
        QByteArray b = base;
        const int mode = static_cast<int>(rng() % 4);
        if (mode == 0) {
            b.truncate(static_cast<qsizetype>(rng() % static_cast<uint32_t>(b.size())));
        } else if (mode == 1) {
            const int flips = 1 + static_cast<int>(rng() % 8);
            for (int k = 0; k < flips; ++k) b[rng() % b.size()] ^= static_cast<char>(1u << (rng() % 8));
        } else if (mode == 2) {
            // A random u64 over a field boundary: counts, lengths, dims, offsets.
            const qsizetype at = static_cast<qsizetype>(rng() % static_cast<uint32_t>(b.size() - 8));
            const uint64_t v = (uint64_t(rng()) << 32 | rng()) >> (rng() % 64);
            put(b, at, le64(v));
        } else {
            b[rng() % b.size()] = static_cast<char>(rng());
            b.truncate(static_cast<qsizetype>(b.size() - rng() % 64));
        }
        auto f = GgufFile::fromBuffer(toVector(b), "fuzz.gguf");
        if (f.ok()) {
            ++opened;
            exerciseViews(*f.value());
        } else {
            QVERIFY(!f.message().empty());
        }
        if (iter % 50 == 0) {  // the mmap path too, on a sample
            QFile out(path);
            QVERIFY(out.open(QIODevice::WriteOnly | QIODevice::Truncate));
            out.write(b);
            out.close();
            auto g = GgufFile::open(path.toStdString());
            QCOMPARE(g.ok(), f.ok());
            if (g.ok()) exerciseViews(*g.value());
        }
    }
    qInfo("fuzz: %d of 4000 mutated files still opened", opened);
}

QTEST_GUILESS_MAIN(TstGgufHostile)
#include "tst_gguf_hostile.moc"
