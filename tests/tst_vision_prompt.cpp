// Pictures in a chat prompt, through the engine's public path: ChatFormat
// renders <|image> + placeholders + <image|> by id exactly as the references'
// prompt.ids; the Vulkan forward takes the soft tokens like the CPU
// reference (a causal image split over chunks for the E2B family, a
// bidirectional block run whole for 26B/31B) and matches the references'
// logits and greedy steps; the Generator keeps a conversation's picture in
// the KV cache only while the same picture is in the same place; a
// ChatSession encodes each picture once.
#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include "chat/chat_format.h"
#include "cpu/cpu_forward.h"
#include "image_loader.h"
#include "model/model.h"
#include "runtime/backend_factory.h"
#include "runtime/chat_session.h"
#include "runtime/cpu_backend.h"
#include "runtime/generator.h"
#include "runtime/image_encoder.h"
#include "support/test_paths.h"
#include "support/vk_fixture.h"
#include "vision/projector_maker.h"
#include "vulkan/forward/vk_forward.h"
#include "vulkan/vk_weights.h"

using namespace facet;

namespace {

QJsonObject loadJson(const QString& name) {
    QFile f(test::dataFile("vision/" + name));
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

std::string visionFile(const char* name) { return test::dataFile(QString("vision/") + name).toStdString(); }

std::shared_ptr<const ChatImage> picture(const char* name) {
    auto rgb = loadImageFile(test::dataFile(QString("vision/") + name));
    if (!rgb.ok()) qWarning("%s", rgb.message().c_str());
    return rgb.ok() ? makeChatImage(std::move(rgb).value()) : nullptr;
}

ChatMessage userWith(std::shared_ptr<const ChatImage> image, const std::string& text) {
    ChatMessage m;
    m.role = ChatMessage::User;
    m.text = text;
    if (image) m.images.push_back(std::move(image));
    return m;
}

int argmax(const float* row, int n) { return int(std::max_element(row, row + n) - row); }

float maxDiffAt(const std::vector<float>& logits, int vocab, int pos, const QJsonArray& expected) {
    float m = 0;
    for (int i = 0; i < vocab; ++i) m = std::max(m, std::abs(logits[size_t(pos) * vocab + i] - float(expected[i].toDouble())));
    return m;
}

// The reference prompt rendered by ChatFormat with its picture, and the picture's soft tokens.
struct ImagePromptCase {
    std::unique_ptr<Model> model;
    std::unique_ptr<ImageEncoder> encoder;
    std::shared_ptr<const ChatImage> image;
    RenderedPrompt prompt;
    std::vector<EncodedImage> encoded;
};

Status makeCase(const char* text, const char* mmproj, const char* pictureName, ImagePromptCase& c) {
    FACET_ASSIGN(c.model, Model::open(visionFile(text)));
    FACET_ASSIGN(auto tok, tokenizerForModel(*c.model));
    FACET_ASSIGN(c.encoder, ImageEncoder::open(visionFile(mmproj), c.model->desc()));
    c.image = picture(pictureName);
    if (!c.image) return errorf("picture %s did not load", pictureName);
    ChatFormat fmt(*tok, ChatFormat::Options{});
    FACET_ASSIGN(c.prompt, fmt.render({userWith(c.image, "Describe the picture.")}, false, true,
                                      c.encoder->counter(kImageTokensDefault)));
    FACET_ASSIGN(c.encoded, c.encoder->encode(c.prompt, kImageTokensDefault));
    return {};
}

}  // namespace

class TstVisionPrompt : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() {
        instance_ = test::makeValidatedInstance();
        QVERIFY(instance_);
        device_ = test::makeDevice(*instance_, test::plainOptions());
        QVERIFY(device_);
    }
    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }
    void cleanupTestCase() {
        device_.reset();
        FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
    }

    void renderedPromptIsTheReferences_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("picture");
        QTest::newRow("gradient") << "e2b-like-vis.gradient.json" << "gradient-96x96.png";
        QTest::newRow("rings") << "e2b-like-vis.rings.json" << "rings-60x40.png";
    }
    void renderedPromptIsTheReferences() {
        QFETCH(QString, json);
        QFETCH(QString, picture);
        ImagePromptCase c;
        const Status s = makeCase("e2b-like-vis.gguf", "mmproj-v-tiny.gguf", qPrintable(picture), c);
        QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
        const QJsonObject prompt = loadJson(json)["prompt"].toObject();
        std::vector<int> expected;
        for (const QJsonValue& v : prompt["ids"].toArray()) expected.push_back(v.toInt());
        QCOMPARE(c.prompt.ids, expected);
        QCOMPARE(c.prompt.images.size(), size_t(1));
        QCOMPARE(c.prompt.images[0].begin, prompt["image_positions"].toArray()[0].toInt());
        QCOMPARE(c.prompt.images[0].end, prompt["image_positions"].toArray()[1].toInt());
    }

    void imagesNeedAProjector() {
        auto model = Model::open(visionFile("e2b-like-vis.gguf"));
        QVERIFY(model.ok());
        auto tok = tokenizerForModel(*model.value());
        QVERIFY(tok.ok());
        ChatFormat fmt(*tok.value(), ChatFormat::Options{});
        auto r = fmt.render({userWith(picture("gradient-96x96.png"), "Hi")}, false, true);
        QVERIFY(!r.ok());
        QVERIFY2(r.message().find("no vision projector") != std::string::npos, r.message().c_str());
        // A projector whose soft tokens have another width is refused when opened.
        QTemporaryDir dir;
        const VisionDesc shape{4, 3, 16, 32, 1, 2, 8, 1e-6f, 64, 96, 100.f};  // text width 96, the model's is 64
        const std::string path = dir.filePath("mmproj-wide.gguf").toStdString();
        QVERIFY(writeRandomProjector(shape, {}, path).ok());
        auto enc = ImageEncoder::open(path, model.value()->desc());
        QVERIFY(!enc.ok());
        QVERIFY2(enc.message().find("width 96") != std::string::npos, enc.message().c_str());
    }

    // Vulkan with the picture vs the references (llama.cpp for a bidirectional
    // block, the float64 causal-mask logits for a causal one), vs the CPU
    // reference at every position, and with the other mask far away.
    void vulkanTakesTheImage_data() {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("mmproj");
        QTest::addColumn<QString>("picture");
        QTest::newRow("e2b-like causal") << "e2b-like-vis.gradient.json" << "e2b-like-vis.gguf" << "mmproj-v-tiny.gguf"
                                         << "gradient-96x96.png";
        QTest::newRow("dense31b-like bidirectional") << "dense31b-like-vis.f16.rings.json" << "dense31b-like-vis.gguf"
                                                     << "mmproj-v-tiny.f16.gguf" << "rings-60x40.png";
    }
    void vulkanTakesTheImage() {
        QFETCH(QString, json);
        QFETCH(QString, text);
        QFETCH(QString, mmproj);
        QFETCH(QString, picture);
        ImagePromptCase c;
        const Status made = makeCase(qPrintable(text), qPrintable(mmproj), qPrintable(picture), c);
        QVERIFY2(made.ok(), made.ok() ? "" : made.message().c_str());
        const ModelDesc& d = c.model->desc();
        const int vocab = d.vocab, n = int(c.prompt.ids.size());
        const InjectedRows rows = c.encoded[0].rows;
        const bool bidirectional = rows.bidirectional;
        QCOMPARE(bidirectional, text.startsWith("dense31b"));

        auto weights = vk::DeviceWeights::upload(*device_, *c.model);
        QVERIFY(weights.ok());
        auto runVulkan = [&](bool bidi, std::vector<float>& logits, int* chunks = nullptr) -> Status {
            vk::VkForwardOptions o;
            o.maxContext = n + 16;
            o.maxBatch = 16;  // a causal image spans several chunks; a bidirectional one widens the batch
            if (bidi) o.minBatch = rows.end - rows.begin;
            FACET_ASSIGN(auto f, vk::VkForward::create(*device_, *c.model, *weights.value(), o));
            InjectedRows r = rows;
            r.bidirectional = bidi;
            if (chunks) *chunks = f->maxBatch();
            return f->forwardInjected(c.prompt.ids, {r}, true, logits);
        };
        std::vector<float> gpu, cpuLogits;
        int batch = 0;
        Status s = runVulkan(bidirectional, gpu, &batch);
        QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
        QCOMPARE(batch, bidirectional ? rows.end - rows.begin : 16);

        cpu::CpuForward ref(d, c.model->weights(), n);
        ref.setHalfKv(true);  // the Vulkan cache's f16 rounding
        QVERIFY(ref.forward(c.prompt.ids, {rows}, true, cpuLogits).ok());
        double worst = 0;
        for (size_t i = 0; i < gpu.size(); ++i) worst = std::max(worst, double(std::abs(gpu[i] - cpuLogits[i])));
        QVERIFY2(worst <= 0.05, qPrintable(QString("Vulkan vs CPU: %1").arg(worst)));

        const QJsonObject ref_ = loadJson(json);
        const QJsonObject expected = bidirectional ? ref_["reference"].toObject()["prompt_logits"].toObject()
                                                   : ref_["causal_image_mask"].toObject()["prompt_logits"].toObject();
        QVERIFY(!expected.isEmpty());
        for (auto it = expected.begin(); it != expected.end(); ++it) {
            const float diff = maxDiffAt(gpu, vocab, it.key().toInt(), it.value().toArray());
            QVERIFY2(diff <= 0.05f, qPrintable(QString("position %1: %2").arg(it.key()).arg(diff)));
        }
        // The other mask moves the logits far outside the tolerance.
        std::vector<float> wrong;
        s = runVulkan(!bidirectional, wrong);
        QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
        float far = 0;
        for (auto it = expected.begin(); it != expected.end(); ++it)
            far = std::max(far, maxDiffAt(wrong, vocab, it.key().toInt(), it.value().toArray()));
        QVERIFY2(far > 1.0f, qPrintable(QString::number(far)));
    }

    // Greedy decoding on Vulkan through the Generator equals llama.cpp's steps
    // (bidirectional block, as llama.cpp runs it) where their margin is clear.
    void vulkanGreedyStepsAreTheReferences() {
        ImagePromptCase c;
        const Status made = makeCase("dense31b-like-vis.gguf", "mmproj-v-tiny.f16.gguf", "gradient-96x96.png", c);
        QVERIFY2(made.ok(), made.ok() ? "" : made.message().c_str());
        auto weights = vk::DeviceWeights::upload(*device_, *c.model);
        QVERIFY(weights.ok());
        vk::VkForwardOptions o;
        o.maxContext = int(c.prompt.ids.size()) + 16;
        o.minBatch = c.encoded[0].rows.end - c.encoded[0].rows.begin;
        auto f = vk::VkForward::create(*device_, *c.model, *weights.value(), o);
        QVERIFY(f.ok());
        Generator gen(*f.value());
        GenerateOptions opt;
        opt.maxTokens = 8;
        opt.sampling.temperature = 0;
        opt.images = {c.encoded[0].rows};
        std::vector<int> out;
        auto st = gen.generate(c.prompt.ids, opt, [&](int id) {
            out.push_back(id);
            return true;
        });
        QVERIFY2(st.ok(), st.ok() ? "" : st.message().c_str());
        const QJsonObject llama = loadJson("dense31b-like-vis.f16.gradient.json")["reference"].toObject();
        const QJsonArray generated = llama["generated_ids"].toArray(), steps = llama["gen_steps"].toArray();
        QCOMPARE(int(out.size()), generated.size());
        // Free-running: compare up to the first step whose margin is too thin to decide.
        for (int k = 0; k < generated.size() && steps[k].toObject()["margin"].toDouble() >= 0.05; ++k)
            QCOMPARE(out[size_t(k)], generated[k].toInt());
    }

    // The KV cache keeps a picture only while the prompt has the same one there.
    void generatorReusesOnlyTheSamePicture() {
        ImagePromptCase c;
        const Status made = makeCase("e2b-like-vis.gguf", "mmproj-v-tiny.gguf", "gradient-96x96.png", c);
        QVERIFY2(made.ok(), made.ok() ? "" : made.message().c_str());
        const ModelDesc& d = c.model->desc();
        CpuBackend backend(d, c.model->weights(), 256);
        Generator gen(backend);
        GenerateOptions opt;
        opt.maxTokens = 4;
        opt.sampling.temperature = 0;
        opt.images = {c.encoded[0].rows};
        std::vector<int> answer;
        auto first = gen.generate(c.prompt.ids, opt, [&](int id) {
            answer.push_back(id);
            return true;
        });
        QVERIFY(first.ok());
        QCOMPARE(first.value().reusedTokens, 0);

        // A follow-up in the same conversation: everything before it is reused.
        std::vector<int> followUp = c.prompt.ids;
        followUp.insert(followUp.end(), answer.begin(), answer.end());
        followUp.insert(followUp.end(), {619, 618, 300, 301});
        auto second = gen.nextLogits(followUp, 512, opt.images);
        QVERIFY(second.ok());
        QVERIFY(gen.cached().size() == followUp.size());

        // The same follow-up with another picture in the same place (the same
        // ids: placeholders) must not reuse the cached picture. (These models'
        // sliding windows of 8 cannot rewind that far: the cache starts over.)
        std::vector<float> otherRows(c.encoded[0].soft->values.rbegin(), c.encoded[0].soft->values.rend());
        InjectedRows other = c.encoded[0].rows;
        other.rows = otherRows.data();
        other.key ^= 1;
        followUp.insert(followUp.end(), {302, 303});
        GenerateOptions opt2 = opt;
        opt2.images = {other};
        opt2.maxTokens = 1;
        int firstToken = -1;
        auto third = gen.generate(followUp, opt2, [&](int id) {
            firstToken = id;
            return false;
        });
        QVERIFY(third.ok());
        QVERIFY2(third.value().reusedTokens <= other.begin, qPrintable(QString::number(third.value().reusedTokens)));
        // ... and it answers as a fresh cache does.
        CpuBackend fresh(d, c.model->weights(), 256);
        Generator freshGen(fresh);
        auto logits = freshGen.nextLogits(followUp, 512, {other});
        QVERIFY(logits.ok());
        QCOMPARE(firstToken, argmax(logits.value().data(), d.vocab));
        // With the first picture again the answer differs: the picture matters.
        auto withFirst = freshGen.nextLogits(followUp, 512, opt.images);
        QVERIFY(withFirst.ok());
        QVERIFY(withFirst.value() != logits.value());
        // Rows without their width could not be split over chunks: refused.
        InjectedRows noWidth = other;
        noWidth.width = 0;
        auto refused = freshGen.nextLogits(followUp, 16, {noWidth});
        QVERIFY(!refused.ok());
        QVERIFY2(refused.message().find("width 0") != std::string::npos, refused.message().c_str());
    }

    // A session encodes a picture once: a regenerated reply takes its soft
    // tokens from the cache and its prefix from the KV cache.
    void sessionEncodesEachPictureOnce() {
        BackendChoice choice;
        choice.backend = "cpu";
        choice.maxContext = 256;
        auto session = ChatSession::open(visionFile("e2b-like-vis.gguf"), choice, visionFile("mmproj-v-tiny.gguf"));
        QVERIFY2(session.ok(), session.ok() ? "" : session.message().c_str());
        QVERIFY(session.value()->seesImages());
        const std::vector<ChatMessage> history = {userWith(picture("rings-60x40.png"), "Describe the picture.")};
        ChatSettings settings;
        settings.maxTokens = 1;  // the cache then holds just the prompt (these models' windows of 8 barely rewind)
        settings.sampling.temperature = 0;
        auto first = session.value()->reply(history, settings, nullptr, nullptr);
        QVERIFY2(first.ok(), first.ok() ? "" : first.message().c_str());
        QCOMPARE(first.value().imagesEncoded, 1);
        QCOMPARE(first.value().promptTokens, 7 + 48 + 24);  // as the reference prompt
        auto tokens = session.value()->promptTokens(history, false);
        QVERIFY(tokens.ok());
        QCOMPARE(tokens.value(), first.value().promptTokens);
        // Regenerated: the picture's soft tokens come from the cache.
        auto again = session.value()->reply(history, settings, nullptr, nullptr);
        QVERIFY(again.ok());
        QCOMPARE(again.value().imagesEncoded, 0);
        QCOMPARE(again.value().text.answer, first.value().text.answer);
        QCOMPARE(again.value().stats.reusedTokens, first.value().promptTokens - 1);
        // A follow-up prefills only its new tokens: the picture stays in the KV cache.
        std::vector<ChatMessage> followUp = history;
        ChatMessage answer;
        answer.role = ChatMessage::Model;
        answer.text = again.value().text.answer;
        answer.answerIds = again.value().answerIds;
        followUp.push_back(answer);
        followUp.push_back(userWith(nullptr, "And the colours?"));
        auto third = session.value()->reply(followUp, settings, nullptr, nullptr);
        QVERIFY2(third.ok(), third.ok() ? "" : third.message().c_str());
        QCOMPARE(third.value().imagesEncoded, 0);
        QVERIFY2(third.value().stats.reusedTokens >= first.value().promptTokens,
                 qPrintable(QString::number(third.value().stats.reusedTokens)));
        // The budget sizes a picture: 96x96 takes 64 soft tokens, at most 40 with a budget of 40.
        const std::vector<ChatMessage> gradient = {userWith(picture("gradient-96x96.png"), "Describe the picture.")};
        auto full = session.value()->promptTokens(gradient, false);
        auto small = session.value()->promptTokens(gradient, false, 40);
        QVERIFY(full.ok() && small.ok());
        QCOMPARE(full.value(), 7 + 64 + 24);
        QVERIFY2(small.value() < full.value(), qPrintable(QString::number(small.value())));
    }

    // Pictures count in the context: a second picture that does not fit with
    // the first drops the oldest turn, and one picture larger than the
    // context is refused with the numbers.
    void picturesCountInTheContext() {
        BackendChoice choice;
        choice.backend = "cpu";
        choice.maxContext = 160;  // one 64-token picture turn (95 tokens) and room to answer, not two
        auto session = ChatSession::open(visionFile("e2b-like-vis.gguf"), choice, visionFile("mmproj-v-tiny.gguf"));
        QVERIFY2(session.ok(), session.ok() ? "" : session.message().c_str());
        ChatMessage answer;
        answer.role = ChatMessage::Model;
        answer.text = "A gradient.";
        const std::vector<ChatMessage> history = {userWith(picture("gradient-96x96.png"), "Describe the picture."), answer,
                                                  userWith(picture("rings-60x40.png"), "And this one?")};
        ChatSettings settings;
        settings.maxTokens = 16;
        settings.sampling.temperature = 0;
        auto reply = session.value()->reply(history, settings, nullptr, nullptr);
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QCOMPARE(reply.value().droppedMessages, 2);
        QCOMPARE(reply.value().imagesEncoded, 1);  // only the picture that stayed
        QVERIFY(reply.value().promptTokens + 16 <= 160);

        choice.maxContext = 64;
        auto tiny = ChatSession::open(visionFile("e2b-like-vis.gguf"), choice, visionFile("mmproj-v-tiny.gguf"));
        QVERIFY(tiny.ok());
        auto refused = tiny.value()->reply({history[0]}, settings, nullptr, nullptr);
        QVERIFY(!refused.ok());
        QVERIFY2(refused.message().find("context holds 64") != std::string::npos, refused.message().c_str());
    }

private:
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;
};

QTEST_GUILESS_MAIN(TstVisionPrompt)
#include "tst_vision_prompt.moc"
