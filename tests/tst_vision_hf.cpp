// A Hugging Face folder's vision tower: the reference projector written out
// as a Gemma4ForConditionalGeneration checkpoint would hold it (written here
// from the spec's §8 table: HF names, the patch projection as a Linear over
// (ky, kx, c)-ordered patches, 0-d clamp scalars), then opened by
// VisionModel::openHf: the same soft tokens as the GGUF, bit for bit in f32,
// close in bf16; findProjector pairs the folder with itself; a session uses
// it; what is missing is named.
#include <QtTest>

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <cstring>

#include "image_loader.h"
#include "model/dequantize.h"
#include "model/gguf_file.h"
#include "model/safetensors_writer.h"
#include "runtime/chat_session.h"
#include "support/test_paths.h"
#include "support/vision_input.h"
#include "vision/projector_pairing.h"
#include "vision/vision_forward.h"

using namespace facet;

namespace {

std::string visionFile(const char* name) { return test::dataFile(QString("vision/") + name).toStdString(); }

uint16_t toBf16(float f) {
    uint32_t u;
    std::memcpy(&u, &f, 4);
    return static_cast<uint16_t>((u + 0x7fff + ((u >> 16) & 1)) >> 16);  // round to nearest even
}

// Spec §8: GGUF name → HF name (under model.).
QString hfNameOf(const QString& gguf) {
    static const QHash<QString, QString> globals = {
        {"v.patch_embd.weight", "vision_tower.patch_embedder.input_proj.weight"},
        {"v.position_embd.weight", "vision_tower.patch_embedder.position_embedding_table"},
        {"v.std_bias", "vision_tower.std_bias"},
        {"v.std_scale", "vision_tower.std_scale"},
        {"mm.input_projection.weight", "embed_vision.embedding_projection.weight"}};
    if (globals.contains(gguf)) return "model." + globals[gguf];
    QStringList parts = gguf.split('.');  // v blk N rest...
    const QString layer = "model.vision_tower.encoder.layers." + parts[2] + ".";
    const QString rest = parts.mid(3).join('.');
    static const QHash<QString, QString> norms = {
        {"ln1.weight", "input_layernorm.weight"},          {"attn_q_norm.weight", "self_attn.q_norm.weight"},
        {"attn_k_norm.weight", "self_attn.k_norm.weight"}, {"attn_post_norm.weight", "post_attention_layernorm.weight"},
        {"ln2.weight", "pre_feedforward_layernorm.weight"}, {"ffn_post_norm.weight", "post_feedforward_layernorm.weight"}};
    if (norms.contains(rest)) return layer + norms[rest];
    static const QHash<QString, QString> linears = {{"attn_q", "self_attn.q_proj"}, {"attn_k", "self_attn.k_proj"},
                                                    {"attn_v", "self_attn.v_proj"}, {"attn_out", "self_attn.o_proj"},
                                                    {"ffn_gate", "mlp.gate_proj"},  {"ffn_up", "mlp.up_proj"},
                                                    {"ffn_down", "mlp.down_proj"}};
    const QString what = parts.mid(4).join('.');
    return layer + linears.value(parts[3]) + (what == "weight" ? ".linear.weight" : "." + what);
}

// Writes the projector `gguf` as an HF folder at `dir`; `bf16`: 2-D weights in bf16.
QString writeHfVision(const QString& dir, const std::string& gguf, bool bf16, const QStringList& drop = {}) {
    auto f = GgufFile::open(gguf);
    if (!f.ok()) return QString::fromStdString(f.message());
    SafetensorsWriter w;
    int64_t E = 0, p = 0, H = 0;
    for (const GgufTensorInfo& info : f.value()->tensors()) {
        if (drop.contains(QString::fromStdString(info.name))) continue;
        auto view = f.value()->view(info);
        if (!view.ok() || view.value().type != GgmlType::F32 && view.value().type != GgmlType::F16)
            return "unexpected tensor " + QString::fromStdString(info.name);
        std::vector<float> x(size_t(info.ne[0] * info.ne[1] * info.ne[2] * info.ne[3]));
        for (int64_t r = 0; r < view.value().rows(); ++r) dequantizeTensorRow(view.value(), r, &x[size_t(r * info.ne[0])]);
        std::vector<int64_t> shape;
        for (int i = info.nDims - 1; i >= 0; --i) shape.push_back(info.ne[i]);
        if (info.name == "v.patch_embd.weight") {  // {p,p,3,E} (c,ky,kx) → [E][p·p·3] (ky,kx,c)
            p = info.ne[0];
            E = info.ne[3];
            std::vector<float> lin(x.size());
            for (int64_t e = 0; e < E; ++e)
                for (int64_t c = 0; c < 3; ++c)
                    for (int64_t ky = 0; ky < p; ++ky)
                        for (int64_t kx = 0; kx < p; ++kx)
                            lin[size_t(e * 3 * p * p + (ky * p + kx) * 3 + c)] = x[size_t(((e * 3 + c) * p + ky) * p + kx)];
            x = lin;
            shape = {E, 3 * p * p};
        }
        if (info.name == "mm.input_projection.weight") H = info.ne[1];
        if (info.ne[0] == 1 && info.nDims == 1) shape = {};  // HF clamp bounds are 0-d scalars
        const bool matrix = info.nDims >= 2 && info.name != "v.position_embd.weight";
        std::vector<uint8_t> bytes;
        if (bf16 && matrix) {
            bytes.resize(x.size() * 2);
            for (size_t i = 0; i < x.size(); ++i) {
                const uint16_t b = toBf16(x[i]);
                std::memcpy(&bytes[i * 2], &b, 2);
            }
        } else {
            bytes.resize(x.size() * 4);
            std::memcpy(bytes.data(), x.data(), bytes.size());
        }
        const Status s = w.add(hfNameOf(QString::fromStdString(info.name)).toStdString(),
                               bf16 && matrix ? GgmlType::BF16 : GgmlType::F32, shape, std::move(bytes));
        if (!s.ok()) return QString::fromStdString(s.message());
    }
    const Status s = w.write((dir + "/model.safetensors").toStdString());
    if (!s.ok()) return QString::fromStdString(s.message());
    auto d = VisionModel::open(gguf);
    if (!d.ok()) return "cannot open the GGUF";
    const VisionDesc& vd = d.value()->desc();
    const QJsonObject config{{"architectures", QJsonArray{"Gemma4ForConditionalGeneration"}},
                             {"text_config", QJsonObject{{"hidden_size", int(H)}}},
                             {"vision_config", QJsonObject{{"hidden_size", vd.width},
                                                           {"intermediate_size", vd.ffn},
                                                           {"num_hidden_layers", vd.layers},
                                                           {"num_attention_heads", vd.heads},
                                                           {"num_key_value_heads", vd.heads},
                                                           {"head_dim", vd.headDim},
                                                           {"patch_size", vd.patchSize},
                                                           {"pooling_kernel_size", vd.poolKernel},
                                                           {"position_embedding_size", vd.positionRows},
                                                           {"rms_norm_eps", double(vd.eps)}}}};
    QFile c(dir + "/config.json");
    if (!c.open(QIODevice::WriteOnly)) return "cannot write config.json";
    c.write(QJsonDocument(config).toJson());
    return {};
}

Result<SoftTokens> encode(const VisionModel& m, const char* picture) {
    const QImage img(test::dataFile(QString("vision/") + picture));
    return encodeImageCpu(m, test::encoderInputOf(img), img.width(), img.height());
}

float maxDiff(const std::vector<float>& a, const std::vector<float>& b) {
    float m = a.size() == b.size() ? 0.f : 1e30f;
    for (size_t i = 0; i < a.size() && i < b.size(); ++i) m = std::max(m, std::abs(a[i] - b[i]));
    return m;
}

}  // namespace

class TstVisionHf : public QObject {
    Q_OBJECT
private slots:
    void f32FolderIsTheGgufBitForBit() {
        QTemporaryDir dir;
        const QString err = writeHfVision(dir.path(), visionFile("mmproj-v-tiny.gguf"), false);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        auto hf = VisionModel::open(dir.path().toStdString());
        QVERIFY2(hf.ok(), hf.ok() ? "" : hf.message().c_str());
        auto gguf = VisionModel::open(visionFile("mmproj-v-tiny.gguf"));
        QVERIFY(gguf.ok());
        QCOMPARE(hf.value()->desc().textWidth, gguf.value()->desc().textWidth);
        QCOMPARE(hf.value()->desc().positionRows, gguf.value()->desc().positionRows);
        // The reference file clamps its layer-0 linears: the bounds came across.
        const ClampBounds& c = hf.value()->layer(0).clamp[0];
        QCOMPARE(c.inMin, gguf.value()->layer(0).clamp[0].inMin);
        QVERIFY(std::isfinite(c.inMin));
        for (const char* picture : {"gradient-96x96.v-tiny.preproc.png", "rings-60x40.v-tiny.preproc.png"}) {
            auto a = encode(*hf.value(), picture), b = encode(*gguf.value(), picture);
            QVERIFY(a.ok() && b.ok());
            QCOMPARE(a.value().values, b.value().values);
        }
    }

    void bf16FolderIsClose() {
        QTemporaryDir dir;
        const QString err = writeHfVision(dir.path(), visionFile("mmproj-v-tiny.gguf"), true);
        QVERIFY2(err.isEmpty(), qPrintable(err));
        auto hf = VisionModel::open(dir.path().toStdString());
        QVERIFY2(hf.ok(), hf.ok() ? "" : hf.message().c_str());
        auto gguf = VisionModel::open(visionFile("mmproj-v-tiny.gguf"));
        QVERIFY(gguf.ok());
        auto a = encode(*hf.value(), "gradient-96x96.v-tiny.preproc.png");
        auto b = encode(*gguf.value(), "gradient-96x96.v-tiny.preproc.png");
        QVERIFY(a.ok() && b.ok());
        // bf16 keeps 8 bits of mantissa: soft tokens of |value| up to ~6 move by a few hundredths.
        const float d = maxDiff(a.value().values, b.value().values);
        QVERIFY2(d > 0.f && d < 0.1f, qPrintable(QString::number(d)));
    }

    void aSessionReadsPicturesThroughTheFolder() {
        QTemporaryDir dir;
        QVERIFY(writeHfVision(dir.path(), visionFile("mmproj-v-tiny.gguf"), false).isEmpty());
        const ProjectorPairing pairing = findProjector(dir.path().toStdString());
        QVERIFY2(pairing.paired(), pairing.reason.c_str());
        QCOMPARE(QString::fromStdString(pairing.path), dir.path());
        BackendChoice choice;
        choice.backend = "cpu";
        choice.maxContext = 256;
        auto session = ChatSession::open(visionFile("e2b-like-vis.gguf"), choice, pairing.path);
        QVERIFY2(session.ok(), session.ok() ? "" : session.message().c_str());
        auto rgb = loadImageFile(test::dataFile("vision/gradient-96x96.png"));
        QVERIFY(rgb.ok());
        ChatMessage user;
        user.text = "Describe the picture.";
        user.images.push_back(makeChatImage(std::move(rgb).value()));
        ChatSettings settings;
        settings.maxTokens = 2;
        settings.sampling.temperature = 0;
        auto reply = session.value()->reply({user}, settings, nullptr, nullptr);
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QCOMPARE(reply.value().imagesEncoded, 1);
        QCOMPARE(reply.value().promptTokens, 95);
    }

    void missingPartsAreNamed() {
        QTemporaryDir noTensor;
        QVERIFY(writeHfVision(noTensor.path(), visionFile("mmproj-v-tiny.gguf"), false, {"v.blk.1.ffn_down.weight"}).isEmpty());
        auto m = VisionModel::open(noTensor.path().toStdString());
        QVERIFY(!m.ok());
        QVERIFY2(m.message().find("v.blk.1.ffn_down.weight") != std::string::npos, m.message().c_str());

        QTemporaryDir noConfig;
        QVERIFY(writeHfVision(noConfig.path(), visionFile("mmproj-v-tiny.gguf"), false).isEmpty());
        QFile c(noConfig.path() + "/config.json");
        QVERIFY(c.open(QIODevice::WriteOnly));
        c.write("{\"text_config\": {\"hidden_size\": 64}}");
        c.close();
        auto n = VisionModel::open(noConfig.path().toStdString());
        QVERIFY(!n.ok());
        QVERIFY2(n.message().find("vision_config") != std::string::npos, n.message().c_str());
    }
};

QTEST_GUILESS_MAIN(TstVisionHf)
#include "tst_vision_hf.moc"
