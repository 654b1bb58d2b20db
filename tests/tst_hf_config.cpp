// descFromHfConfig: config.json of the four released shapes (spec §1) and
// broken configs -> ModelDesc / clear errors.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>

#include "model/hf_config.h"

using namespace facet;

namespace {

QJsonArray layerTypes(int layers, int period) {
    QJsonArray a;
    for (int i = 0; i < layers; ++i) a.append((i + 1) % period ? "sliding_attention" : "full_attention");
    return a;
}

QJsonObject ropeParameters() {
    return QJsonObject{
        {"sliding_attention", QJsonObject{{"rope_type", "default"}, {"rope_theta", 10000.0}}},
        {"full_attention",
         QJsonObject{{"rope_type", "proportional"}, {"rope_theta", 1000000.0}, {"partial_rotary_factor", 0.25}}},
    };
}

// Fields every variant writes (values common to all four, spec §1).
QJsonObject commonText() {
    return QJsonObject{
        {"model_type", "gemma4_text"},   {"vocab_size", 262144},        {"head_dim", 256},
        {"global_head_dim", 512},        {"rms_norm_eps", 1e-6},        {"hidden_activation", "gelu_pytorch_tanh"},
        {"final_logit_softcapping", 30.0}, {"tie_word_embeddings", true}, {"rope_parameters", ropeParameters()},
        {"num_experts", QJsonValue::Null}, {"top_k_experts", QJsonValue::Null},
        {"moe_intermediate_size", QJsonValue::Null}, {"vocab_size_per_layer_input", 262144},
    };
}

QJsonObject merged(QJsonObject base, const QJsonObject& extra) {
    for (auto it = extra.begin(); it != extra.end(); ++it) base.insert(it.key(), it.value());
    return base;
}

QJsonObject e2bText() {
    return merged(commonText(), {
        {"hidden_size", 1536}, {"hidden_size_per_layer_input", 256}, {"intermediate_size", 6144},
        {"num_hidden_layers", 35}, {"layer_types", layerTypes(35, 5)}, {"num_attention_heads", 8},
        {"num_key_value_heads", 1}, {"num_global_key_value_heads", QJsonValue::Null},
        {"attention_k_eq_v", false}, {"num_kv_shared_layers", 20}, {"use_double_wide_mlp", true},
        {"sliding_window", 512}, {"max_position_embeddings", 131072}, {"enable_moe_block", false},
    });
}

QJsonObject e4bText() {
    return merged(commonText(), {
        {"hidden_size", 2560}, {"hidden_size_per_layer_input", 256}, {"intermediate_size", 10240},
        {"num_hidden_layers", 42}, {"layer_types", layerTypes(42, 6)}, {"num_attention_heads", 8},
        {"num_key_value_heads", 2}, {"num_global_key_value_heads", QJsonValue::Null},
        {"attention_k_eq_v", false}, {"num_kv_shared_layers", 18}, {"use_double_wide_mlp", false},
        {"sliding_window", 512}, {"max_position_embeddings", 131072}, {"enable_moe_block", false},
    });
}

QJsonObject moeText() {
    return merged(commonText(), {
        {"hidden_size", 2816}, {"hidden_size_per_layer_input", 0}, {"intermediate_size", 2112},
        {"num_hidden_layers", 30}, {"layer_types", layerTypes(30, 6)}, {"num_attention_heads", 16},
        {"num_key_value_heads", 8}, {"num_global_key_value_heads", 2}, {"attention_k_eq_v", true},
        {"num_kv_shared_layers", 0}, {"enable_moe_block", true}, {"num_experts", 128},
        {"top_k_experts", 8}, {"moe_intermediate_size", 704}, {"sliding_window", 1024},
        {"max_position_embeddings", 262144}, {"use_bidirectional_attention", "vision"},
    });
}

QJsonObject denseText() {
    return merged(commonText(), {
        {"hidden_size", 5376}, {"hidden_size_per_layer_input", 0}, {"intermediate_size", 21504},
        {"num_hidden_layers", 60}, {"layer_types", layerTypes(60, 6)}, {"num_attention_heads", 32},
        {"num_key_value_heads", 16}, {"num_global_key_value_heads", 4}, {"attention_k_eq_v", true},
        {"num_kv_shared_layers", 0}, {"sliding_window", 1024}, {"max_position_embeddings", 262144},
        {"use_bidirectional_attention", "vision"},
    });
}

// Gemma4ForConditionalGeneration layout: text fields under "text_config".
QJsonObject multimodal(const QJsonObject& text) {
    return QJsonObject{{"architectures", QJsonArray{"Gemma4ForConditionalGeneration"}},
                       {"model_type", "gemma4"},
                       {"text_config", text},
                       {"vision_config", QJsonObject{{"hidden_size", 768}, {"model_type", "gemma4_vision"}}},
                       {"tie_word_embeddings", true}};
}

}  // namespace

class TstHfConfig : public QObject {
    Q_OBJECT

private:
    QTemporaryDir tmp_;

    // Writes <tmp>/<folder>/config.json and parses it.
    Result<ModelDesc> load(const QString& folder, const QByteArray& json) {
        const QString dir = tmp_.filePath(folder);
        QDir().mkpath(dir);
        QFile f(dir + "/config.json");
        if (!f.open(QIODevice::WriteOnly) || f.write(json) != json.size()) return makeError("cannot write config");
        f.close();
        return descFromHfConfig((dir + "/config.json").toStdString());
    }
    Result<ModelDesc> load(const QString& folder, const QJsonObject& o) {
        return load(folder, QJsonDocument(o).toJson());
    }

private slots:
    void e2bConfigDescribesSharedKvAndDoubleWideLayers();
    void e4bConfigSharesKvFromLayers22And23();
    void moeConfigHasKEqVGlobalKvHeadsAndExperts();
    void denseConfigIs31B();
    void textOnlyConfigWithoutTextConfigIsRead();
    void softcapFollowsPresenceAndNull_data();
    void softcapFollowsPresenceAndNull();
    void missingLayerTypesAndRopeUseHfDefaults();
    void unusualShapeIsCustom();
    void brokenConfigsFailWithClearErrors_data();
    void brokenConfigsFailWithClearErrors();
};

void TstHfConfig::e2bConfigDescribesSharedKvAndDoubleWideLayers() {
    auto r = load("gemma-4-E2B-it", multimodal(e2bText()));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    const ModelDesc& d = *r;
    QCOMPARE(d.name, std::string("gemma-4-E2B-it"));
    QCOMPARE(d.variant, Variant::E2B);
    QCOMPARE(d.nLayers, 35);
    QCOMPARE(d.hidden, 1536);
    QCOMPARE(d.vocab, 262144);
    QCOMPARE(d.contextLength, 131072);
    QCOMPARE(d.pleDim, 256);
    QCOMPARE(d.nKvShared, 20);
    QCOMPARE(d.slidingWindow, 512);
    QCOMPARE(d.nExperts, 0);
    QCOMPARE(d.finalSoftcap, 30.f);
    QCOMPARE(d.rmsEps, 1e-6f);
    QCOMPARE(d.embedScale, std::sqrt(1536.f));
    QCOMPARE(d.layers[0].attn, AttnKind::Sliding);
    QCOMPARE(d.layers[0].headDim, 256);
    QCOMPARE(d.layers[0].window, 512);
    QCOMPARE(d.layers[0].ropeBase, 1e4f);
    QCOMPARE(d.layers[14].attn, AttnKind::Full);
    QVERIFY(d.layers[14].ownsKv(14));
    QCOMPARE(d.layers[14].headDim, 512);
    QCOMPARE(d.layers[14].nKvHeads, 1);
    QCOMPARE(d.layers[14].window, 0);
    QCOMPARE(d.layers[14].ropeBase, 1e6f);
    QVERIFY(!d.layers[14].kEqV);
    QCOMPARE(d.layers[13].kvSource, 13);
    QCOMPARE(d.layers[15].kvSource, 13);
    QCOMPARE(d.layers[19].kvSource, 14);
    QCOMPARE(d.layers[34].kvSource, 14);
    QCOMPARE(d.layers[33].kvSource, 13);
    QCOMPARE(d.layers[14].ffnWidth, 6144);
    QCOMPARE(d.layers[15].ffnWidth, 12288);
    QCOMPARE(d.layers[34].ffnWidth, 12288);
    for (const LayerDesc& l : d.layers) QCOMPARE(l.nHeads, 8);
    QCOMPARE(d.ropeFreqFactors.size(), size_t(256));
    QCOMPARE(d.ropeFreqFactors[0], 1.f);
    QCOMPARE(d.ropeFreqFactors[63], 1.f);
    QCOMPARE(d.ropeFreqFactors[64], 1e30f);
    QCOMPARE(d.ropeFreqFactors[255], 1e30f);
}

void TstHfConfig::e4bConfigSharesKvFromLayers22And23() {
    auto r = load("e4b", multimodal(e4bText()));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    QCOMPARE(r->variant, Variant::E4B);
    QCOMPARE(r->layers[23].attn, AttnKind::Full);
    QVERIFY(r->layers[23].ownsKv(23));
    QCOMPARE(r->layers[24].kvSource, 22);
    QCOMPARE(r->layers[29].kvSource, 23);
    QCOMPARE(r->layers[41].kvSource, 23);
    QCOMPARE(r->layers[41].ffnWidth, 10240);  // no double-wide MLP
    QCOMPARE(r->layers[5].nKvHeads, 2);
}

void TstHfConfig::moeConfigHasKEqVGlobalKvHeadsAndExperts() {
    auto r = load("gemma-4-26B-A4B-it", multimodal(moeText()));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    const ModelDesc& d = *r;
    QCOMPARE(d.variant, Variant::MoE26B);
    QCOMPARE(d.nExperts, 128);
    QCOMPARE(d.nExpertsUsed, 8);
    QCOMPARE(d.expertFfn, 704);
    QCOMPARE(d.pleDim, 0);
    QCOMPARE(d.contextLength, 262144);
    QCOMPARE(d.slidingWindow, 1024);
    for (int i = 0; i < d.nLayers; ++i) {
        const LayerDesc& l = d.layers[i];
        QVERIFY(l.moe);
        QCOMPARE(l.ffnWidth, 2112);
        QCOMPARE(l.kvSource, i);
        QCOMPARE(l.nHeads, 16);
        const bool full = i % 6 == 5;
        QCOMPARE(l.attn, full ? AttnKind::Full : AttnKind::Sliding);
        QCOMPARE(l.kEqV, full);
        QCOMPARE(l.nKvHeads, full ? 2 : 8);
        QCOMPARE(l.headDim, full ? 512 : 256);
        QCOMPARE(l.window, full ? 0 : 1024);
    }
}

void TstHfConfig::denseConfigIs31B() {
    auto r = load("gemma-4-31B-it", multimodal(denseText()));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    QCOMPARE(r->variant, Variant::Dense31B);
    QCOMPARE(r->nLayers, 60);
    QCOMPARE(r->layers[5].nKvHeads, 4);
    QVERIFY(r->layers[5].kEqV);
    QCOMPARE(r->layers[4].nKvHeads, 16);
    QVERIFY(!r->layers[4].kEqV);
    QCOMPARE(r->layers[59].ffnWidth, 21504);
    QVERIFY(!r->layers[0].moe);
    QCOMPARE(r->nKvShared, 0);
    QCOMPARE(r->embedScale, std::sqrt(5376.f));
}

void TstHfConfig::textOnlyConfigWithoutTextConfigIsRead() {
    QJsonObject o = e2bText();
    o.insert("architectures", QJsonArray{"Gemma4ForCausalLM"});
    auto r = load("causal", o);
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    QCOMPARE(r->variant, Variant::E2B);
    QCOMPARE(r->name, std::string("causal"));
}

void TstHfConfig::softcapFollowsPresenceAndNull_data() {
    QTest::addColumn<QJsonValue>("value");  // Undefined = key absent
    QTest::addColumn<float>("expected");
    QTest::newRow("absent") << QJsonValue(QJsonValue::Undefined) << 30.f;
    QTest::newRow("null") << QJsonValue(QJsonValue::Null) << 0.f;
    QTest::newRow("zero") << QJsonValue(0) << 0.f;
    QTest::newRow("explicit 25") << QJsonValue(25.0) << 25.f;
}

void TstHfConfig::softcapFollowsPresenceAndNull() {
    QFETCH(QJsonValue, value);
    QFETCH(float, expected);
    QJsonObject t = denseText();
    t.remove("final_logit_softcapping");
    if (!value.isUndefined()) t.insert("final_logit_softcapping", value);
    auto r = load("softcap", multimodal(t));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    QCOMPARE(r->finalSoftcap, expected);
}

void TstHfConfig::missingLayerTypesAndRopeUseHfDefaults() {
    QJsonObject t = denseText();
    t.remove("layer_types");
    t.remove("rope_parameters");
    t.insert("num_hidden_layers", 8);  // pattern 5+1, the last forced full
    auto r = load("defaults", multimodal(t));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    QCOMPARE(r->layers[5].attn, AttnKind::Full);
    QCOMPARE(r->layers[6].attn, AttnKind::Sliding);
    QCOMPARE(r->layers[7].attn, AttnKind::Full);
    QCOMPARE(r->layers[7].ropeBase, 1e6f);
    QCOMPARE(r->layers[0].ropeBase, 1e4f);
    QCOMPARE(std::count(r->ropeFreqFactors.begin(), r->ropeFreqFactors.end(), 1.f), 64);
    QCOMPARE(r->variant, Variant::Custom);
}

void TstHfConfig::unusualShapeIsCustom() {
    QJsonObject t = e2bText();
    t.insert("hidden_size", 64);
    t.insert("intermediate_size", 128);
    t.insert("head_dim", 32);
    t.insert("global_head_dim", 64);
    t.insert("rope_parameters", QJsonObject{{"full_attention", QJsonObject{{"rope_type", "proportional"},
                                                                          {"rope_theta", 5e5},
                                                                          {"partial_rotary_factor", 0.5}}}});
    auto r = load("tiny", multimodal(t));
    QVERIFY2(r.ok(), r.ok() ? "" : r.message().c_str());
    QCOMPARE(r->variant, Variant::Custom);
    QCOMPARE(r->layers[4].ropeBase, 5e5f);
    QCOMPARE(r->layers[0].ropeBase, 1e4f);  // the sliding entry is absent: its default
    QCOMPARE(r->ropeFreqFactors.size(), size_t(32));
    QCOMPARE(std::count(r->ropeFreqFactors.begin(), r->ropeFreqFactors.end(), 1.f), 16);
}

void TstHfConfig::brokenConfigsFailWithClearErrors_data() {
    QTest::addColumn<QByteArray>("json");
    QTest::addColumn<QString>("expected");
    auto with = [](const char* key, const QJsonValue& v) {
        QJsonObject t = e2bText();
        if (v.isUndefined()) t.remove(key);
        else t.insert(key, v);
        return QJsonDocument(multimodal(t)).toJson();
    };
    QTest::newRow("not JSON") << QByteArray("{\"a\":") << "not a JSON object";
    QTest::newRow("other model type") << QByteArray(R"({"model_type":"llama","hidden_size":4096})")
                                      << "model_type = \"llama\"";
    QTest::newRow("missing hidden_size") << with("hidden_size", QJsonValue::Undefined)
                                         << "text_config.hidden_size is missing";
    QTest::newRow("negative heads") << with("num_attention_heads", -8)
                                    << "text_config.num_attention_heads = -8, expected an integer";
    QTest::newRow("fractional layers") << with("num_hidden_layers", 35.5) << "text_config.num_hidden_layers = 35.5";
    QTest::newRow("layer_types too short") << with("layer_types", layerTypes(10, 5))
                                           << "layer_types must be an array of 35 entries";
    QJsonArray odd = layerTypes(35, 5);
    odd[2] = "chunked_attention";
    QTest::newRow("unknown layer type") << with("layer_types", odd) << "layer_types[2] = \"chunked_attention\"";
    QTest::newRow("all layers shared") << with("num_kv_shared_layers", 35) << "text_config.num_kv_shared_layers = 35";
    QTest::newRow("moe without experts") << with("enable_moe_block", true) << "text_config.num_experts is missing";
    QTest::newRow("untied head") << with("tie_word_embeddings", false) << "tie_word_embeddings = false";
    QTest::newRow("bidirectional") << with("use_bidirectional_attention", "all") << "not a causal decoder";
    QTest::newRow("yarn rope")
        << with("rope_parameters", QJsonObject{{"full_attention", QJsonObject{{"rope_type", "yarn"}}}})
        << "rope_type 'yarn'";
    QTest::newRow("heads not divisible") << with("num_key_value_heads", 3) << "not a multiple of 3 kv heads";
}

void TstHfConfig::brokenConfigsFailWithClearErrors() {
    QFETCH(QByteArray, json);
    QFETCH(QString, expected);
    auto r = load("broken", json);
    QVERIFY(!r.ok());
    QVERIFY2(r.message().find(expected.toStdString()) != std::string::npos, r.message().c_str());
    QVERIFY2(r.message().find("broken/config.json") != std::string::npos, r.message().c_str());
}

QTEST_GUILESS_MAIN(TstHfConfig)
#include "tst_hf_config.moc"
