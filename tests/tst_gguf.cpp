// GgufWriter -> GgufFile round trips: every metadata type and array kind,
// v2 and v3, alignments 32 and 64, tensors of several types; typed getter
// errors; and the reference model files in tests/data.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>

#include "model/dequantize.h"
#include "model/gguf_file.h"
#include "model/gguf_writer.h"
#include "model/quantize.h"
#include "support/test_paths.h"

using namespace facet;

namespace {

struct TensorCase {
    std::string name;
    GgmlType type;
    std::vector<int64_t> ne;
    std::vector<uint8_t> bytes;
};

std::vector<TensorCase> sampleTensors() {
    std::mt19937 rng(42);
    std::uniform_real_distribution<float> uni(-3.f, 3.f);
    auto make = [&](std::string name, GgmlType t, std::vector<int64_t> ne) {
        int64_t n = 1;
        for (int64_t e : ne) n *= e;
        std::vector<float> x(static_cast<size_t>(n));
        for (float& f : x) f = uni(rng);
        return TensorCase{std::move(name), t, ne, quantizeToBytes(t, x.data(), n)};
    };
    return {make("token_embd.weight", GgmlType::F32, {8, 3}), make("blk.0.attn_norm.weight", GgmlType::F16, {5}),
            make("blk.0.ffn_up.weight", GgmlType::BF16, {2, 2, 3}), make("blk.0.attn_q.weight", GgmlType::Q8_0, {64, 2}),
            make("blk.0.attn_k.weight", GgmlType::Q4_K, {256, 2}),
            make("blk.0.ffn_down.weight", GgmlType::Q6_K, {256, 1, 1, 2}),
            make("blk.0.attn_v.weight", GgmlType::Q5_0, {32, 3})};
}

// Every scalar type at its awkward values, every array kind, UTF-8 strings.
void addAllMetadata(GgufWriter& w) {
    w.addUInt8("t.u8", 255);
    w.addInt8("t.i8", -128);
    w.addUInt16("t.u16", 65535);
    w.addInt16("t.i16", -32768);
    w.addUInt32("t.u32", 4294967295u);
    w.addInt32("t.i32", std::numeric_limits<int32_t>::min());
    w.addUInt64("t.u64", static_cast<uint64_t>(std::numeric_limits<int64_t>::max()));
    w.addInt64("t.i64", std::numeric_limits<int64_t>::min());
    w.addFloat32("t.f32", -3.25e-7f);
    w.addFloat64("t.f64", 1e300);
    w.addBool("t.true", true);
    w.addBool("t.false", false);
    w.addString("t.str", "h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x99\x82");
    w.addString("t.empty", "");
    w.addIntArray("a.u8", GgufValueType::UInt8, {0, 7, 255});
    w.addIntArray("a.i8", GgufValueType::Int8, {-128, 0, 127});
    w.addIntArray("a.u16", GgufValueType::UInt16, {65535, 1});
    w.addIntArray("a.i16", GgufValueType::Int16, {-32768, 32767});
    w.addIntArray("a.u32", GgufValueType::UInt32, {4294967295LL, 0, 12});
    w.addIntArray("a.i32", GgufValueType::Int32, {-5, 2147483647});
    w.addIntArray("a.u64", GgufValueType::UInt64, {0, std::numeric_limits<int64_t>::max()});
    w.addIntArray("a.i64", GgufValueType::Int64, {std::numeric_limits<int64_t>::min(), -1});
    w.addIntArray("a.bool", GgufValueType::Bool, {1, 0, 0, 1});
    w.addFloatArray("a.f32", GgufValueType::Float32, {0.5, -1e-3, 1e30});
    w.addFloatArray("a.f64", GgufValueType::Float64, {1e-300, -2.5});
    w.addStringArray("a.str", {"<bos>", "", "\xE2\x96\x81the", "\xF0\x9F\x98\x80"});
    w.addIntArray("a.empty", GgufValueType::Int32, {});
}

void checkAllMetadata(const GgufFile& f) {
    auto scalar = [&](const char* key, GgufValueType t) -> const GgufValue& {
        const GgufValue* v = f.find(key);
        if (v == nullptr || v->type != t) qFatal("missing or mistyped %s", key);
        return *v;
    };
    QCOMPARE(scalar("t.u8", GgufValueType::UInt8).i, int64_t(255));
    QCOMPARE(scalar("t.i8", GgufValueType::Int8).i, int64_t(-128));
    QCOMPARE(scalar("t.u16", GgufValueType::UInt16).i, int64_t(65535));
    QCOMPARE(scalar("t.i16", GgufValueType::Int16).i, int64_t(-32768));
    QCOMPARE(scalar("t.u32", GgufValueType::UInt32).i, int64_t(4294967295LL));
    QCOMPARE(scalar("t.i32", GgufValueType::Int32).i, int64_t(std::numeric_limits<int32_t>::min()));
    QCOMPARE(scalar("t.u64", GgufValueType::UInt64).i, std::numeric_limits<int64_t>::max());
    QCOMPARE(scalar("t.i64", GgufValueType::Int64).i, std::numeric_limits<int64_t>::min());
    QCOMPARE(scalar("t.f32", GgufValueType::Float32).f, double(-3.25e-7f));
    QCOMPARE(scalar("t.f64", GgufValueType::Float64).f, 1e300);
    QCOMPARE(scalar("t.true", GgufValueType::Bool).i, int64_t(1));
    QCOMPARE(scalar("t.false", GgufValueType::Bool).i, int64_t(0));
    QCOMPARE(scalar("t.str", GgufValueType::String).str, std::string("h\xC3\xA9llo \xE2\x9C\x93 \xF0\x9F\x99\x82"));
    QCOMPARE(scalar("t.empty", GgufValueType::String).str, std::string());

    auto ints = [&](const char* key, GgufValueType elem) {
        const GgufValue& v = scalar(key, GgufValueType::Array);
        if (v.arrayType != elem) qFatal("%s has element type %s", key, ggufValueTypeName(v.arrayType));
        return v.ints;
    };
    using V = std::vector<int64_t>;
    QCOMPARE(ints("a.u8", GgufValueType::UInt8), (V{0, 7, 255}));
    QCOMPARE(ints("a.i8", GgufValueType::Int8), (V{-128, 0, 127}));
    QCOMPARE(ints("a.u16", GgufValueType::UInt16), (V{65535, 1}));
    QCOMPARE(ints("a.i16", GgufValueType::Int16), (V{-32768, 32767}));
    QCOMPARE(ints("a.u32", GgufValueType::UInt32), (V{4294967295LL, 0, 12}));
    QCOMPARE(ints("a.i32", GgufValueType::Int32), (V{-5, 2147483647}));
    QCOMPARE(ints("a.u64", GgufValueType::UInt64), (V{0, std::numeric_limits<int64_t>::max()}));
    QCOMPARE(ints("a.i64", GgufValueType::Int64), (V{std::numeric_limits<int64_t>::min(), -1}));
    QCOMPARE(ints("a.bool", GgufValueType::Bool), (V{1, 0, 0, 1}));
    QCOMPARE(ints("a.empty", GgufValueType::Int32), V{});
    QCOMPARE(f.find("a.empty")->arraySize(), size_t(0));

    const GgufValue& f32 = scalar("a.f32", GgufValueType::Array);
    QCOMPARE(f32.arrayType, GgufValueType::Float32);
    QCOMPARE(f32.floats, (std::vector<double>{0.5, double(-1e-3f), double(1e30f)}));
    const GgufValue& f64 = scalar("a.f64", GgufValueType::Array);
    QCOMPARE(f64.arrayType, GgufValueType::Float64);
    QCOMPARE(f64.floats, (std::vector<double>{1e-300, -2.5}));
    const GgufValue& strs = scalar("a.str", GgufValueType::Array);
    QCOMPARE(strs.arrayType, GgufValueType::String);
    QCOMPARE(strs.strings, (std::vector<std::string>{"<bos>", "", "\xE2\x96\x81the", "\xF0\x9F\x98\x80"}));
    QCOMPARE(strs.arraySize(), size_t(4));
    QCOMPARE(f.find("t.u8")->arraySize(), size_t(0));
}

void checkTensors(const GgufFile& f, const std::vector<TensorCase>& cases, uint64_t alignment) {
    QCOMPARE(f.tensors().size(), cases.size());
    for (size_t i = 0; i < cases.size(); ++i) {
        const TensorCase& c = cases[i];
        const GgufTensorInfo* info = f.findTensor(c.name);
        QVERIFY2(info != nullptr, c.name.c_str());
        QCOMPARE(info, &f.tensors()[i]);  // directory order is file order
        QCOMPARE(info->type, c.type);
        QCOMPARE(info->rawType, static_cast<uint32_t>(c.type));
        QCOMPARE(info->nDims, int(c.ne.size()));
        QCOMPARE(info->nbytes, uint64_t(c.bytes.size()));
        Result<TensorView> v = f.view(*info);
        QVERIFY2(v.ok(), v.ok() ? "" : v.message().c_str());
        for (size_t d = 0; d < 4; ++d) QCOMPARE(v->ne[d], d < c.ne.size() ? c.ne[d] : int64_t(1));
        QCOMPARE(v->fileOffset % alignment, uint64_t(0));
        QCOMPARE(v->fileOffset, f.dataOffset() + info->offset);
        QVERIFY(std::memcmp(v->data, c.bytes.data(), c.bytes.size()) == 0);
    }
    QVERIFY(f.findTensor("no.such.tensor") == nullptr);
}

}  // namespace

class TstGguf : public QObject {
    Q_OBJECT

private slots:
    void roundTripsMetadataAndTensors_data();
    void roundTripsMetadataAndTensors();
    void typedGettersReadMatchingTypes();
    void typedGettersRejectWrongTypes_data();
    void typedGettersRejectWrongTypes();
    void writerReplacesRepeatedKeyInPlace();
    void writerRejectsInvalidInput();
    void writerReportsUnwritablePathAndLeavesNoTempFile();
    void fileWithoutTensorsOpens();
    void fullSizeVocabularyArraysRoundTrip();
    void shapeStringListsDimsInGgmlOrder();
    void referenceModelFilesOpenAndDecode();
};

void TstGguf::roundTripsMetadataAndTensors_data() {
    QTest::addColumn<uint32_t>("version");
    QTest::addColumn<int>("alignment");  // 0: leave general.alignment unset (default 32)
    QTest::newRow("v3 default alignment") << 3u << 0;
    QTest::newRow("v2 default alignment") << 2u << 0;
    QTest::newRow("v3 alignment 32") << 3u << 32;
    QTest::newRow("v2 alignment 64") << 2u << 64;
    QTest::newRow("v3 alignment 64") << 3u << 64;
}

void TstGguf::roundTripsMetadataAndTensors() {
    QFETCH(uint32_t, version);
    QFETCH(int, alignment);
    GgufWriter w(version);
    if (alignment != 0) w.addUInt32("general.alignment", static_cast<uint32_t>(alignment));
    addAllMetadata(w);
    const std::vector<TensorCase> cases = sampleTensors();
    for (const TensorCase& c : cases) w.addTensor(c.name, c.type, c.ne, c.bytes);
    const uint64_t align = alignment != 0 ? uint64_t(alignment) : 32;
    QCOMPARE(w.alignment(), align);

    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("model.gguf")).toStdString();
    const Status s = w.write(path);
    QVERIFY2(s.ok(), s.message().c_str());
    QVERIFY(!QFile::exists(QString::fromStdString(path + ".tmp")));

    Result<std::vector<uint8_t>> bytes = w.serialize();
    QVERIFY(bytes.ok());
    QCOMPARE(QFileInfo(QString::fromStdString(path)).size(), qint64(bytes->size()));
    QCOMPARE(bytes->size() % align, size_t(0));  // the last tensor is padded too

    auto fromFile = GgufFile::open(path);
    QVERIFY2(fromFile.ok(), fromFile.ok() ? "" : fromFile.message().c_str());
    auto fromMem = GgufFile::fromBuffer(std::move(bytes).value(), "mem.gguf");
    QVERIFY2(fromMem.ok(), fromMem.ok() ? "" : fromMem.message().c_str());

    for (const GgufFile* f : {fromFile->get(), fromMem->get()}) {
        QCOMPARE(f->version(), version);
        QCOMPARE(f->alignment(), align);
        QCOMPARE(f->dataOffset() % align, uint64_t(0));
        const size_t firstKey = alignment != 0 ? 1 : 0;
        QCOMPARE(f->metadata().size(), firstKey + 27);
        QCOMPARE(f->metadata()[firstKey].first, std::string("t.u8"));  // file order kept
        QCOMPARE(f->metadata().back().first, std::string("a.empty"));
        checkAllMetadata(*f);
        checkTensors(*f, cases, align);
    }
    QCOMPARE(fromFile.value()->path(), path);
    QCOMPARE(fromMem.value()->path(), std::string("mem.gguf"));
}

void TstGguf::typedGettersReadMatchingTypes() {
    GgufWriter w;
    addAllMetadata(w);
    auto f = GgufFile::fromBuffer(w.serialize().value(), "g.gguf");
    QVERIFY(f.ok());
    const GgufFile& g = *f.value();
    QCOMPARE(g.getInt("t.i16").value(), std::optional<int64_t>(-32768));
    QCOMPARE(g.getInt("t.u32").value(), std::optional<int64_t>(4294967295LL));
    QCOMPARE(g.getFloat("t.f64").value(), std::optional<double>(1e300));
    QCOMPARE(g.getFloat("t.u8").value(), std::optional<double>(255.0));  // integers widen
    QCOMPARE(g.getBool("t.true").value(), std::optional<bool>(true));
    QCOMPARE(g.getBool("t.false").value(), std::optional<bool>(false));
    QCOMPARE(g.getString("t.empty").value(), std::optional<std::string>(""));
    // Absent keys are nullopt, never an error.
    QVERIFY(!g.getInt("nope").value().has_value());
    QVERIFY(!g.getFloat("nope").value().has_value());
    QVERIFY(!g.getBool("nope").value().has_value());
    QVERIFY(!g.getString("nope").value().has_value());
}

void TstGguf::typedGettersRejectWrongTypes_data() {
    QTest::addColumn<QString>("getter");
    QTest::addColumn<QString>("key");
    QTest::addColumn<QString>("phrase");
    QTest::newRow("int from string") << "int" << "t.str" << "has type string, expected an integer";
    QTest::newRow("int from bool") << "int" << "t.true" << "has type bool, expected an integer";
    QTest::newRow("int from float") << "int" << "t.f32" << "has type float32, expected an integer";
    QTest::newRow("int from array") << "int" << "a.u32" << "has type array of uint32, expected an integer";
    QTest::newRow("float from string") << "float" << "t.str" << "has type string, expected a number";
    QTest::newRow("float from bool") << "float" << "t.false" << "has type bool, expected a number";
    QTest::newRow("bool from uint8") << "bool" << "t.u8" << "has type uint8, expected bool";
    QTest::newRow("string from string array") << "string" << "a.str" << "has type array of string, expected string";
    QTest::newRow("string from int") << "string" << "t.i64" << "has type int64, expected string";
}

void TstGguf::typedGettersRejectWrongTypes() {
    QFETCH(QString, getter);
    QFETCH(QString, key);
    QFETCH(QString, phrase);
    GgufWriter w;
    addAllMetadata(w);
    auto f = GgufFile::fromBuffer(w.serialize().value(), "g.gguf");
    QVERIFY(f.ok());
    const std::string k = key.toStdString();
    std::string msg;
    if (getter == "int") {
        auto r = f.value()->getInt(k);
        QVERIFY(!r.ok());
        msg = r.message();
    } else if (getter == "float") {
        auto r = f.value()->getFloat(k);
        QVERIFY(!r.ok());
        msg = r.message();
    } else if (getter == "bool") {
        auto r = f.value()->getBool(k);
        QVERIFY(!r.ok());
        msg = r.message();
    } else {
        auto r = f.value()->getString(k);
        QVERIFY(!r.ok());
        msg = r.message();
    }
    const QString m = QString::fromStdString(msg);
    QVERIFY2(m.contains(phrase), qPrintable(m));
    QVERIFY2(m.contains(QStringLiteral("g.gguf")) && m.contains("'" + key + "'"), qPrintable(m));
}

void TstGguf::writerReplacesRepeatedKeyInPlace() {
    GgufWriter w;
    w.addUInt32("a", 1);
    w.addString("b", "x");
    w.addFloat32("a", 2.5f);
    auto f = GgufFile::fromBuffer(w.serialize().value(), "r.gguf");
    QVERIFY(f.ok());
    QCOMPARE(f.value()->metadata().size(), size_t(2));
    QCOMPARE(f.value()->metadata()[0].first, std::string("a"));
    QCOMPARE(f.value()->getFloat("a").value(), std::optional<double>(2.5));
}

void TstGguf::writerRejectsInvalidInput() {
    GgufWriter w;
    w.addTensor("w", GgmlType::Q8_0, {64}, std::vector<uint8_t>(67));  // 2 blocks are 68 bytes
    auto r = w.serialize();
    QVERIFY(!r.ok());
    QVERIFY2(QString::fromStdString(r.message()).contains("'w'"), r.message().c_str());
    GgufWriter bad;
    bad.addUInt32("general.alignment", 48);
    QVERIFY(!bad.serialize().ok());
    GgufWriter nested;
    nested.addIntArray("n", GgufValueType::Array, {1});
    QVERIFY(!nested.serialize().ok());
    GgufWriter unknown;
    unknown.addIntArray("u", static_cast<GgufValueType>(40), {1});
    QVERIFY(!unknown.serialize().ok());
}

void TstGguf::writerReportsUnwritablePathAndLeavesNoTempFile() {
    QTemporaryDir dir;
    GgufWriter w;
    w.addString("k", "v");
    const std::string path = dir.filePath(QStringLiteral("missing-dir/model.gguf")).toStdString();
    const Status s = w.write(path);
    QVERIFY(!s.ok());
    QVERIFY2(QString::fromStdString(s.message()).contains("missing-dir"), s.message().c_str());
    QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::NoDotAndDotDot).isEmpty());
}

void TstGguf::fileWithoutTensorsOpens() {
    GgufWriter w;
    w.addString("general.architecture", "gemma4");
    auto f = GgufFile::fromBuffer(w.serialize().value(), "empty.gguf");
    QVERIFY2(f.ok(), f.ok() ? "" : f.message().c_str());
    QVERIFY(f.value()->tensors().empty());
    QCOMPARE(f.value()->getString("general.architecture").value(), std::optional<std::string>("gemma4"));
}

void TstGguf::fullSizeVocabularyArraysRoundTrip() {
    // Gemma's 262,144-entry token list, scores and types: the largest metadata.
    const size_t n = 262144;
    std::vector<std::string> tokens(n);
    std::vector<double> scores(n);
    std::vector<int64_t> types(n);
    for (size_t i = 0; i < n; ++i) {
        tokens[i] = "\xE2\x96\x81tok" + std::to_string(i);
        scores[i] = -double(i);
        types[i] = int64_t(i % 6);
    }
    GgufWriter w;
    w.addStringArray("tokenizer.ggml.tokens", tokens);
    w.addFloatArray("tokenizer.ggml.scores", GgufValueType::Float32, scores);
    w.addIntArray("tokenizer.ggml.token_type", GgufValueType::Int32, types);
    auto f = GgufFile::fromBuffer(w.serialize().value(), "vocab.gguf");
    QVERIFY2(f.ok(), f.ok() ? "" : f.message().c_str());
    QVERIFY(f.value()->find("tokenizer.ggml.tokens")->strings == tokens);
    QVERIFY(f.value()->find("tokenizer.ggml.scores")->floats == scores);
    QVERIFY(f.value()->find("tokenizer.ggml.token_type")->ints == types);
}

void TstGguf::shapeStringListsDimsInGgmlOrder() {
    TensorView t;
    t.ne = {64, 618, 1, 1};
    t.nDims = 2;
    QCOMPARE(shapeString(t), std::string("[64, 618]"));
    t.ne = {256, 2, 3, 4};
    t.nDims = 4;
    QCOMPARE(shapeString(t), std::string("[256, 2, 3, 4]"));
}

void TstGguf::referenceModelFilesOpenAndDecode() {
    const QStringList files = QDir(test::dataDir()).entryList({QStringLiteral("*.gguf")}, QDir::Files);
    QVERIFY(!files.isEmpty());
    for (const QString& name : files) {
        auto f = GgufFile::open(test::dataFile(name).toStdString());
        QVERIFY2(f.ok(), f.ok() ? "" : f.message().c_str());
        QVERIFY(!f.value()->tensors().empty());
        QVERIFY(f.value()->find("general.architecture") != nullptr);
        for (const GgufTensorInfo& info : f.value()->tensors()) {
            auto v = f.value()->view(info);
            QVERIFY2(v.ok(), v.ok() ? "" : v.message().c_str());
            std::vector<float> row(static_cast<size_t>(v->ne[0]));
            dequantizeTensorRow(v.value(), v->rows() - 1, row.data());
            for (float x : row) QVERIFY2(std::isfinite(x), info.name.c_str());
        }
    }
}

QTEST_GUILESS_MAIN(TstGguf)
#include "tst_gguf.moc"
