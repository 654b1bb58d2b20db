// SafetensorsFile and HfFolder: views, hostile headers, shards, HF -> GGUF names.
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>
#include <string>
#include <vector>

#include "model/hf_folder.h"
#include "model/safetensors_file.h"

using namespace facet;

namespace {

struct FakeTensor {
    std::string name;
    std::string dtype;
    std::vector<int64_t> shape;
    QByteArray data;
};

QByteArray le64(uint64_t v) {
    QByteArray b(8, '\0');
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>((v >> (8 * i)) & 0xff);
    return b;
}

// Raw file: length prefix, header text, data; nothing validated.
QByteArray rawFile(const std::string& header, const QByteArray& data, uint64_t declaredLen = UINT64_MAX) {
    return le64(declaredLen == UINT64_MAX ? header.size() : declaredLen) + QByteArray::fromStdString(header) + data;
}

std::string shapeJson(const std::vector<int64_t>& s) {
    std::string out = "[";
    for (size_t i = 0; i < s.size(); ++i) out += (i ? "," : "") + std::to_string(s[i]);
    return out + "]";
}

// A well-formed file as the Python writer makes it: contiguous data, header
// padded with spaces so the data region starts 8-aligned.
QByteArray buildFile(const std::vector<FakeTensor>& ts, const std::string& metadata = "") {
    std::string h = "{";
    if (!metadata.empty()) h += "\"__metadata__\":" + metadata + ",";
    QByteArray data;
    for (size_t i = 0; i < ts.size(); ++i) {
        const auto& t = ts[i];
        const uint64_t begin = data.size();
        data += t.data;
        h += (i ? "," : "") + ("\"" + t.name + "\":{\"dtype\":\"" + t.dtype + "\",\"shape\":" + shapeJson(t.shape) +
                               ",\"data_offsets\":[" + std::to_string(begin) + "," + std::to_string(data.size()) + "]}");
    }
    h += "}";
    while ((8 + h.size()) % 8) h += ' ';
    return rawFile(h, data);
}

QByteArray bytesOf(const void* p, size_t n) { return QByteArray(static_cast<const char*>(p), static_cast<int>(n)); }

QByteArray f32s(std::vector<float> v) { return bytesOf(v.data(), v.size() * 4); }
QByteArray u16s(std::vector<uint16_t> v) { return bytesOf(v.data(), v.size() * 2); }
QByteArray zeros(int n) { return QByteArray(n, '\0'); }

FakeTensor bf16(const std::string& name, std::vector<int64_t> shape) {
    int64_t n = 1;
    for (auto d : shape) n *= d;
    return {name, "BF16", shape, zeros(static_cast<int>(n * 2))};
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

}  // namespace

class TstSafetensors : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;
    QString path(const QString& name) const { return tmp_.filePath(name); }
    std::string spath(const QString& name) const { return path(name).toStdString(); }

private slots:
    void viewsHaveGgmlOrderShapeAndExactBytes_data();
    void viewsHaveGgmlOrderShapeAndExactBytes();
    void metadataIsIgnoredAndTensorsAreListedByName();
    void hostileFilesFailWithClearErrors_data();
    void hostileFilesFailWithClearErrors();
    void absurdHeaderLengthIsRejectedEvenInsideTheFile();
    void unreadableDtypeFailsOnlyWhenViewed();
    void misalignedDataIsRejectedOnView();
    void hfNamesMapToGgufNames_data();
    void hfNamesMapToGgufNames();
    void singleFileFolderExposesTextTensorsUnderGgufNames();
    void causalLmLayoutIsAccepted();
    void shardedFolderOpensOnlyShardsWithTextTensors();
    void brokenFoldersFailWithClearErrors_data();
    void brokenFoldersFailWithClearErrors();
};

void TstSafetensors::viewsHaveGgmlOrderShapeAndExactBytes_data() {
    QTest::addColumn<QString>("dtype");
    QTest::addColumn<QList<qint64>>("shape");
    QTest::addColumn<int>("type");
    QTest::addColumn<QList<qint64>>("ne");
    QTest::addColumn<QByteArray>("data");
    QTest::newRow("bf16 matrix [out=3, in=2]") << "BF16" << QList<qint64>{3, 2} << int(GgmlType::BF16)
                                               << QList<qint64>{2, 3, 1, 1}
                                               << u16s({0x3f80, 0x4000, 0x4040, 0x4080, 0xbf80, 0x0000});
    QTest::newRow("f16 vector") << "F16" << QList<qint64>{4} << int(GgmlType::F16) << QList<qint64>{4, 1, 1, 1}
                                << u16s({0x3c00, 0x4000, 0x4200, 0x4400});
    QTest::newRow("f32 3-d experts") << "F32" << QList<qint64>{2, 3, 4} << int(GgmlType::F32)
                                     << QList<qint64>{4, 3, 2, 1}
                                     << f32s(std::vector<float>(24, 1.5f));
    QTest::newRow("f32 scalar") << "F32" << QList<qint64>{} << int(GgmlType::F32) << QList<qint64>{1, 1, 1, 1}
                                << f32s({7.f});
}

void TstSafetensors::viewsHaveGgmlOrderShapeAndExactBytes() {
    QFETCH(QString, dtype);
    QFETCH(QList<qint64>, shape);
    QFETCH(int, type);
    QFETCH(QList<qint64>, ne);
    QFETCH(QByteArray, data);
    std::vector<int64_t> s(shape.begin(), shape.end());
    // A leading f32 tensor makes the tested one start at a non-zero offset.
    QByteArray file = buildFile({{"first", "F32", {2}, f32s({1.f, 2.f})}, {"t", dtype.toStdString(), s, data}});
    QVERIFY(writeFile(path("v.safetensors"), file));

    auto f = SafetensorsFile::open(spath("v.safetensors"));
    QVERIFY2(f.ok(), f.ok() ? "" : f.message().c_str());
    auto v = (*f)->view("t");
    QVERIFY2(v.ok(), v.ok() ? "" : v.message().c_str());
    QCOMPARE(int(v->type), type);
    QCOMPARE(v->nDims, int(shape.size()));
    for (int i = 0; i < 4; ++i) QCOMPARE(v->ne[i], ne[i]);
    QCOMPARE(v->nbytes, uint64_t(data.size()));
    QCOMPARE(v->fileOffset, (*f)->dataOffset() + 8);
    QCOMPARE(v->name, std::string("t"));
    QCOMPARE(QByteArray(reinterpret_cast<const char*>(v->data), int(v->nbytes)), data);
    QCOMPARE(file.mid(int(v->fileOffset), data.size()), data);
}

void TstSafetensors::metadataIsIgnoredAndTensorsAreListedByName() {
    QVERIFY(writeFile(path("m.safetensors"),
                      buildFile({bf16("b", {2}), bf16("a", {1, 2}), {"z", "F32", {0}, {}}}, R"({"format":"pt"})")));
    auto f = SafetensorsFile::open(spath("m.safetensors"));
    QVERIFY2(f.ok(), f.ok() ? "" : f.message().c_str());
    const auto& ts = (*f)->tensors();
    QCOMPARE(ts.size(), size_t(3));
    QCOMPARE(ts[0].name, std::string("a"));
    QCOMPARE(ts[1].name, std::string("b"));
    QCOMPARE(ts[2].name, std::string("z"));  // empty tensors are legal
    QVERIFY((*f)->entry("__metadata__") == nullptr);
    QCOMPARE((*f)->entry("a")->shape, (std::vector<int64_t>{1, 2}));
    auto missing = (*f)->view("nope");
    QVERIFY(!missing.ok());
    QVERIFY(missing.message().find("no tensor named 'nope'") != std::string::npos);
}

void TstSafetensors::hostileFilesFailWithClearErrors_data() {
    QTest::addColumn<QByteArray>("file");
    QTest::addColumn<QString>("expected");
    const std::string ok8 = R"("data_offsets":[0,8]})";
    QTest::newRow("shorter than the length prefix") << QByteArray("abc") << "too short";
    QTest::newRow("header length past the end") << rawFile("{}", zeros(8), 1000) << "runs past the end";
    QTest::newRow("header length 0") << rawFile("", {}, 0) << "too short for a JSON object";
    QTest::newRow("bad JSON") << rawFile("{\"a\": [1, 2", {}) << "not valid JSON";
    QTest::newRow("header is an array") << rawFile("[1,2]", {}) << "not a JSON object";
    QTest::newRow("entry is not an object") << rawFile(R"({"a":5})", {}) << "entry is not a JSON object";
    QTest::newRow("missing dtype") << rawFile(R"({"a":{"shape":[2],)" + ok8 + "}", zeros(8)) << "'dtype'";
    QTest::newRow("negative dim") << rawFile(R"({"a":{"dtype":"F32","shape":[-2],)" + ok8 + "}", zeros(8))
                                  << "shape[0]";
    QTest::newRow("fractional dim") << rawFile(R"({"a":{"dtype":"F32","shape":[2.5],)" + ok8 + "}", zeros(8))
                                    << "shape[0]";
    QTest::newRow("three offsets") << rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4,8]}})",
                                              zeros(8))
                                   << "data_offsets";
    QTest::newRow("begin after end") << rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}})",
                                                zeros(8))
                                     << "begin > end";
    QTest::newRow("offsets past the end")
        << rawFile(R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}})", zeros(8)) << "past the end of the file";
    QTest::newRow("huge offsets") << rawFile(
        R"({"a":{"dtype":"F32","shape":[4],"data_offsets":[18446744073709551600,18446744073709551615]}})", zeros(8))
                                  << "past the end of the file";
    QTest::newRow("size mismatch")
        << rawFile(R"({"a":{"dtype":"F32","shape":[3],)" + ok8 + "}", zeros(8)) << "expected 3 elements x 4 bytes";
    QTest::newRow("element count overflow")
        << rawFile(R"({"a":{"dtype":"F32","shape":[1099511627776,1099511627776],)" + ok8 + "}", zeros(8))
        << "overflows";
    QTest::newRow("overlapping tensors")
        << rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                   R"("b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}})",
                   zeros(12))
        << "overlaps";
    QTest::newRow("duplicate tensor name")
        << rawFile(R"({"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},)"
                   R"("a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}})",
                   zeros(16))
        << "more than once";
}

void TstSafetensors::hostileFilesFailWithClearErrors() {
    QFETCH(QByteArray, file);
    QFETCH(QString, expected);
    const QString p = path("hostile.safetensors");
    QVERIFY(writeFile(p, file));
    auto f = SafetensorsFile::open(p.toStdString());
    QVERIFY(!f.ok());
    QVERIFY2(f.message().find(expected.toStdString()) != std::string::npos, f.message().c_str());
    QVERIFY2(f.message().find("hostile.safetensors") != std::string::npos, f.message().c_str());
}

void TstSafetensors::absurdHeaderLengthIsRejectedEvenInsideTheFile() {
    // A sparse 101 MiB file: the length fits the file but not the header cap.
    const uint64_t len = 101ull << 20;
    QFile f(path("big.safetensors"));
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.write(le64(len)) == 8);
    QVERIFY(f.resize(qint64(len + 8)));
    f.close();
    auto r = SafetensorsFile::open(spath("big.safetensors"));
    QVERIFY(!r.ok());
    QVERIFY2(r.message().find("exceeds the 104857600-byte limit") != std::string::npos, r.message().c_str());
}

void TstSafetensors::unreadableDtypeFailsOnlyWhenViewed() {
    QVERIFY(writeFile(path("d.safetensors"), buildFile({{"audio.i64", "I64", {2}, zeros(16)},
                                                       {"vision.f8", "F8_E4M3", {4}, zeros(4)},
                                                       {"future.f4", "F4", {4}, zeros(2)},
                                                       bf16("text", {2})})));
    auto f = SafetensorsFile::open(spath("d.safetensors"));
    QVERIFY2(f.ok(), f.ok() ? "" : f.message().c_str());
    QVERIFY((*f)->view("text").ok());
    for (const char* name : {"audio.i64", "vision.f8", "future.f4"}) {
        auto v = (*f)->view(name);
        QVERIFY(!v.ok());
        QVERIFY2(v.message().find(name) != std::string::npos, v.message().c_str());
        QVERIFY2(v.message().find((*f)->entry(name)->dtype) != std::string::npos, v.message().c_str());
        QVERIFY2(v.message().find("BF16, F16 and F32") != std::string::npos, v.message().c_str());
    }
}

void TstSafetensors::misalignedDataIsRejectedOnView() {
    // Unpadded header of odd length: the f32 data starts at an odd offset.
    std::string h = R"({"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}})";
    if ((8 + h.size()) % 2 == 0) h += ' ';
    QVERIFY(writeFile(path("odd.safetensors"), rawFile(h, zeros(4))));
    auto f = SafetensorsFile::open(spath("odd.safetensors"));
    QVERIFY2(f.ok(), f.ok() ? "" : f.message().c_str());
    auto v = (*f)->view("x");
    QVERIFY(!v.ok());
    QVERIFY2(v.message().find("not aligned") != std::string::npos, v.message().c_str());
}

void TstSafetensors::hfNamesMapToGgufNames_data() {
    QTest::addColumn<QString>("hf");
    QTest::addColumn<int>("kind");
    QTest::addColumn<QString>("gguf");
    const int T = int(HfNameKind::Text), S = int(HfNameKind::Skipped), U = int(HfNameKind::Unknown);
    const char* mm = "model.language_model.";
    auto row = [&](const char* hf, int kind, const char* gguf) {
        QTest::newRow(hf) << QString(hf) << kind << QString(gguf);
    };
    struct P { const char* hf; const char* gguf; };
    const P pairs[] = {
        {"embed_tokens.weight", "token_embd.weight"},
        {"norm.weight", "output_norm.weight"},
        {"embed_tokens_per_layer.weight", "per_layer_token_embd.weight"},
        {"per_layer_model_projection.weight", "per_layer_model_proj.weight"},
        {"per_layer_projection_norm.weight", "per_layer_proj_norm.weight"},
        {"layers.3.self_attn.q_proj.weight", "blk.3.attn_q.weight"},
        {"layers.3.self_attn.k_proj.weight", "blk.3.attn_k.weight"},
        {"layers.3.self_attn.v_proj.weight", "blk.3.attn_v.weight"},
        {"layers.3.self_attn.o_proj.weight", "blk.3.attn_output.weight"},
        {"layers.3.self_attn.q_norm.weight", "blk.3.attn_q_norm.weight"},
        {"layers.3.self_attn.k_norm.weight", "blk.3.attn_k_norm.weight"},
        {"layers.3.input_layernorm.weight", "blk.3.attn_norm.weight"},
        {"layers.3.post_attention_layernorm.weight", "blk.3.post_attention_norm.weight"},
        {"layers.3.pre_feedforward_layernorm.weight", "blk.3.ffn_norm.weight"},
        {"layers.3.post_feedforward_layernorm.weight", "blk.3.post_ffw_norm.weight"},
        {"layers.3.mlp.gate_proj.weight", "blk.3.ffn_gate.weight"},
        {"layers.3.mlp.up_proj.weight", "blk.3.ffn_up.weight"},
        {"layers.3.mlp.down_proj.weight", "blk.3.ffn_down.weight"},
        {"layers.3.layer_scalar", "blk.3.layer_output_scale.weight"},
        {"layers.29.router.proj.weight", "blk.29.ffn_gate_inp.weight"},
        {"layers.29.router.scale", "blk.29.ffn_gate_inp.scale"},
        {"layers.29.router.per_expert_scale", "blk.29.ffn_down_exps.scale"},
        {"layers.29.experts.gate_up_proj", "blk.29.ffn_gate_up_exps.weight"},
        {"layers.29.experts.down_proj", "blk.29.ffn_down_exps.weight"},
        {"layers.29.pre_feedforward_layernorm_2.weight", "blk.29.pre_ffw_norm_2.weight"},
        {"layers.29.post_feedforward_layernorm_1.weight", "blk.29.post_ffw_norm_1.weight"},
        {"layers.29.post_feedforward_layernorm_2.weight", "blk.29.post_ffw_norm_2.weight"},
        {"layers.34.per_layer_input_gate.weight", "blk.34.inp_gate.weight"},
        {"layers.34.per_layer_projection.weight", "blk.34.proj.weight"},
        {"layers.34.post_per_layer_input_norm.weight", "blk.34.post_norm.weight"},
    };
    for (const P& p : pairs) {
        const std::string multimodal = std::string(mm) + p.hf, causal = std::string("model.") + p.hf;
        QTest::newRow(multimodal.c_str()) << QString::fromStdString(multimodal) << T << QString(p.gguf);
        QTest::newRow(causal.c_str()) << QString::fromStdString(causal) << T << QString(p.gguf);
    }
    row("lm_head.weight", S, "");
    row("model.vision_tower.encoder.layers.0.self_attn.q_proj.weight", S, "");
    row("model.audio_tower.layers.0.feed_forward1.ffw_layer_1.linear.weight", S, "");
    row("model.embed_vision.embedding_projection.weight", S, "");
    row("model.embed_audio.embedding_projection.weight", S, "");
    row("model.language_model.layers.3.self_attn.v_norm.weight", U, "");
    row("model.language_model.layers.03.self_attn.q_proj.weight", U, "");
    row("model.language_model.layers.x.self_attn.q_proj.weight", U, "");
    row("model.language_model.rope_freqs.weight", U, "");
    row("transformer.h.0.attn.weight", U, "");
}

void TstSafetensors::hfNamesMapToGgufNames() {
    QFETCH(QString, hf);
    QFETCH(int, kind);
    QFETCH(QString, gguf);
    HfNameMapping m = mapHfTensorName(hf.toStdString());
    QCOMPARE(int(m.kind), kind);
    QCOMPARE(QString::fromStdString(m.ggufName), gguf);
}

void TstSafetensors::singleFileFolderExposesTextTensorsUnderGgufNames() {
    QDir(path("single")).removeRecursively();
    QVERIFY(QDir().mkpath(path("single")));
    QVERIFY(writeFile(path("single/config.json"), "{}"));
    QVERIFY(writeFile(path("single/tokenizer.json"), "{}"));
    const std::string lm = "model.language_model.";
    QVERIFY(writeFile(path("single/model.safetensors"),
                      buildFile({bf16(lm + "embed_tokens.weight", {8, 4}),
                                 bf16(lm + "layers.0.self_attn.q_proj.weight", {6, 4}),
                                 {lm + "layers.0.layer_scalar", "BF16", {1}, u16s({0x3f00})},
                                 bf16(lm + "layers.0.self_attn.v_norm.weight", {2}),
                                 {"model.vision_tower.patch_embedder.pos", "I64", {2}, zeros(16)},
                                 {"model.audio_tower.scale", "F8_E4M3", {2}, zeros(2)},
                                 bf16("model.embed_vision.embedding_projection.weight", {2, 2}),
                                 bf16("lm_head.weight", {8, 4})})));
    auto r = HfFolder::open(spath("single"));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    const HfFolder& f = **r;
    QCOMPARE(f.tensors().size(), size_t(3));
    QCOMPARE(f.tensors()[0].name, std::string("blk.0.attn_q.weight"));  // sorted by GGUF name
    const TensorView* q = f.find("blk.0.attn_q.weight");
    QVERIFY(q != nullptr);
    QCOMPARE(q->ne[0], int64_t(4));
    QCOMPARE(q->ne[1], int64_t(6));
    QCOMPARE(q->type, GgmlType::BF16);
    const TensorView* s = f.find("blk.0.layer_output_scale.weight");
    QVERIFY(s != nullptr);
    QCOMPARE(*reinterpret_cast<const uint16_t*>(s->data), uint16_t(0x3f00));
    QVERIFY(f.find("token_embd.weight") != nullptr);
    QVERIFY(f.find("output.weight") == nullptr);  // tied: lm_head is skipped
    QVERIFY(f.find("rope_freqs.weight") == nullptr);
    QCOMPARE(f.source("blk.0.attn_q.weight")->hfName, lm + "layers.0.self_attn.q_proj.weight");
    QCOMPARE(f.unknownTensors(), std::vector<std::string>{lm + "layers.0.self_attn.v_norm.weight"});
    QCOMPARE(f.skippedCount(), size_t(4));
    QCOMPARE(f.configPath(), spath("single/config.json"));
    QCOMPARE(f.tokenizerJsonPath(), spath("single/tokenizer.json"));
    QCOMPARE(f.weightFiles().size(), size_t(1));
}

void TstSafetensors::causalLmLayoutIsAccepted() {
    QDir(path("causal")).removeRecursively();
    QVERIFY(QDir().mkpath(path("causal")));
    QVERIFY(writeFile(path("causal/config.json"), "{}"));
    QVERIFY(writeFile(path("causal/model.safetensors"),
                      buildFile({bf16("model.embed_tokens.weight", {8, 4}), bf16("model.norm.weight", {4})})));
    auto r = HfFolder::open(spath("causal"));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    QVERIFY((*r)->find("output_norm.weight") != nullptr);
    QVERIFY((*r)->tokenizerJsonPath().empty());
}

void TstSafetensors::shardedFolderOpensOnlyShardsWithTextTensors() {
    QDir(path("sharded")).removeRecursively();
    QVERIFY(QDir().mkpath(path("sharded")));
    QVERIFY(writeFile(path("sharded/config.json"), "{}"));
    const std::string lm = "model.language_model.";
    QVERIFY(writeFile(path("sharded/model-00001-of-00003.safetensors"),
                      buildFile({bf16(lm + "embed_tokens.weight", {8, 4}), bf16(lm + "layers.0.mlp.up_proj.weight", {3, 4}),
                                 bf16(lm + "layers.1.mlp.up_proj.weight", {3, 4})})));
    QVERIFY(writeFile(path("sharded/model-00002-of-00003.safetensors"),
                      buildFile({{lm + "layers.0.experts.gate_up_proj", "F32", {2, 6, 4}, zeros(192)}})));
    // The vision-only shard is garbage: it must never be opened.
    QVERIFY(writeFile(path("sharded/model-00003-of-00003.safetensors"), "not a safetensors file"));
    const std::string index = R"({"metadata":{"total_size":1},"weight_map":{)"
                              R"("model.language_model.embed_tokens.weight":"model-00001-of-00003.safetensors",)"
                              R"("model.language_model.layers.0.mlp.up_proj.weight":"model-00001-of-00003.safetensors",)"
                              R"("model.language_model.layers.0.experts.gate_up_proj":"model-00002-of-00003.safetensors",)"
                              R"("model.vision_tower.x.weight":"model-00003-of-00003.safetensors"}})";
    QVERIFY(writeFile(path("sharded/model.safetensors.index.json"), QByteArray::fromStdString(index)));
    auto r = HfFolder::open(spath("sharded"));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    const HfFolder& f = **r;
    QCOMPARE(f.weightFiles().size(), size_t(2));
    QCOMPARE(f.tensors().size(), size_t(3));  // layers.1 is in a shard but not in the index
    const TensorView* e = f.find("blk.0.ffn_gate_up_exps.weight");
    QVERIFY(e != nullptr);
    QCOMPARE(e->type, GgmlType::F32);
    QCOMPARE(e->nDims, 3);
    QCOMPARE(e->ne[0], int64_t(4));
    QCOMPARE(e->ne[1], int64_t(6));
    QCOMPARE(e->ne[2], int64_t(2));
    QVERIFY(f.source("blk.0.ffn_gate_up_exps.weight")->file.find("model-00002-of-00003") != std::string::npos);
    QCOMPARE(f.skippedCount(), size_t(1));
}

void TstSafetensors::brokenFoldersFailWithClearErrors_data() {
    QTest::addColumn<QByteArray>("weights");  // model.safetensors, unless empty
    QTest::addColumn<QByteArray>("index");    // model.safetensors.index.json, unless empty
    QTest::addColumn<QString>("expected");
    const std::string lm = "model.language_model.";
    const QByteArray good = buildFile({bf16(lm + "norm.weight", {4})});
    QTest::newRow("no weights") << QByteArray() << QByteArray() << "neither model.safetensors";
    QTest::newRow("only tower tensors") << buildFile({bf16("model.vision_tower.a", {2})}) << QByteArray()
                                        << "no Gemma 4 text tensors";
    QTest::newRow("text tensor in F8")
        << buildFile({{lm + "layers.0.self_attn.q_proj.weight", "F8_E4M3", {2, 2}, zeros(4)}}) << QByteArray()
        << "'model.language_model.layers.0.self_attn.q_proj.weight' @";
    QTest::newRow("two names for one tensor")
        << buildFile({bf16(lm + "norm.weight", {4}), bf16("model.norm.weight", {4})}) << QByteArray()
        << "both map to 'output_norm.weight'";
    QTest::newRow("index escapes the folder")
        << good << QByteArray(R"({"weight_map":{"model.language_model.norm.weight":"../model.safetensors"}})")
        << "not a file name inside the folder";
    QTest::newRow("index names a missing tensor")
        << good << QByteArray(R"({"weight_map":{"model.language_model.embed_tokens.weight":"model.safetensors"}})")
        << "which has no such tensor";
    QTest::newRow("index names a missing shard")
        << good << QByteArray(R"({"weight_map":{"model.language_model.norm.weight":"model-1.safetensors"}})")
        << "model-1.safetensors: cannot open";
    QTest::newRow("index without weight_map") << good << QByteArray(R"({"metadata":{}})") << "'weight_map'";
    QTest::newRow("index not JSON") << good << QByteArray("{") << "not a JSON object";
}

void TstSafetensors::brokenFoldersFailWithClearErrors() {
    QFETCH(QByteArray, weights);
    QFETCH(QByteArray, index);
    QFETCH(QString, expected);
    QDir(path("broken")).removeRecursively();
    QVERIFY(QDir().mkpath(path("broken")));
    QVERIFY(writeFile(path("broken/config.json"), "{}"));
    if (!weights.isEmpty()) QVERIFY(writeFile(path("broken/model.safetensors"), weights));
    if (!index.isEmpty()) QVERIFY(writeFile(path("broken/model.safetensors.index.json"), index));
    auto r = HfFolder::open(spath("broken"));
    QVERIFY(!r.ok());
    QVERIFY2(r.message().find(expected.toStdString()) != std::string::npos, r.message().c_str());
}

QTEST_GUILESS_MAIN(TstSafetensors)
#include "tst_safetensors.moc"
