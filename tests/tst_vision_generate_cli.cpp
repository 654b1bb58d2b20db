// `facet-cli generate --model PATH --mmproj PATH --image FILE [--image FILE…]
// --prompt TEXT` as the checks outside this repository run it: greedy text
// equal to the engine's own chat session with the picture, the same on the
// CPU reference and on Vulkan, every picture counted in the prompt, and the
// one-line error contract for what is missing or does not belong together.
#include <QtTest>

#include <QTemporaryDir>

#include "image_loader.h"
#include "runtime/chat_session.h"
#include "support/cli_run.h"
#include "support/test_paths.h"
#include "vision/projector_maker.h"

using namespace facet;
using namespace facet::test;

namespace {

QString v(const QString& name) { return dataFile("vision/" + name); }

QStringList generateArgs(const QStringList& pictures, const QString& backend) {
    QStringList a{"generate", "--model", v("e2b-like-vis.gguf"), "--mmproj", v("mmproj-v-tiny.gguf")};
    for (const QString& p : pictures) a << "--image" << v(p);
    return a + QStringList{"--prompt", "Describe the picture.", "-n", "6", "--temp", "0", "--backend", backend};
}

}  // namespace

class TstVisionGenerateCli : public QObject {
    Q_OBJECT
private slots:
    void greedyTextIsTheSessions() {
        BackendChoice choice;
        choice.backend = "cpu";
        choice.maxContext = 256;
        auto session = ChatSession::open(v("e2b-like-vis.gguf").toStdString(), choice, v("mmproj-v-tiny.gguf").toStdString());
        QVERIFY2(session.ok(), session.ok() ? "" : session.message().c_str());
        auto rgb = loadImageFile(v("gradient-96x96.png"));
        QVERIFY(rgb.ok());
        ChatMessage user;
        user.text = "Describe the picture.";
        user.images.push_back(makeChatImage(std::move(rgb).value()));
        ChatSettings settings;
        settings.maxTokens = 6;
        settings.sampling.temperature = 0;
        auto reply = session.value()->reply({user}, settings, nullptr, nullptr);
        QVERIFY2(reply.ok(), reply.ok() ? "" : reply.message().c_str());
        QCOMPARE(reply.value().stats.generated, 6);  // a random model: no stop token this early

        for (const QString backend : {"cpu", "vulkan"}) {
            const ProcessOutcome o = runProgram(cliPath(), generateArgs({"gradient-96x96.png"}, backend));
            QVERIFY2(o.exitCode == 0, qPrintable(o.err));
            QCOMPARE(o.out.chopped(1), QString::fromStdString(reply.value().text.answer));
            QVERIFY2(o.err.contains("1 picture(s), 64 soft tokens"), qPrintable(o.err));
            QVERIFY2(o.err.contains("prompt 95 tokens"), qPrintable(o.err));
        }
        // Another picture, another answer: the picture reaches the model.
        const ProcessOutcome rings = runProgram(cliPath(), generateArgs({"rings-60x40.png"}, "cpu"));
        QVERIFY2(rings.exitCode == 0, qPrintable(rings.err));
        QVERIFY(rings.out.chopped(1) != QString::fromStdString(reply.value().text.answer));
    }

    void everyPictureCounts() {
        const ProcessOutcome o = runProgram(cliPath(), generateArgs({"gradient-96x96.png", "rings-60x40.png"}, "cpu"));
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        // 95 tokens with the gradient's 64, plus <|image>, 48 soft tokens and <image|> for the rings.
        QVERIFY2(o.err.contains("2 picture(s), 112 soft tokens"), qPrintable(o.err));
        QVERIFY2(o.err.contains("prompt 145 tokens"), qPrintable(o.err));
    }

    void errorsAreOneLine() {
        QStringList noProjector = generateArgs({"gradient-96x96.png"}, "cpu");
        noProjector.remove(3, 2);  // --mmproj PATH
        expectOneLineError(runProgram(cliPath(), noProjector), "needs --mmproj");
        expectOneLineError(runProgram(cliPath(), generateArgs({"missing.png"}, "cpu")), "missing.png");
        QTemporaryDir dir;
        const std::string wide = dir.filePath("mmproj-wide.gguf").toStdString();
        QVERIFY(writeRandomProjector(VisionDesc{4, 3, 16, 32, 1, 2, 8, 1e-6f, 64, 96, 100.f}, {}, wide).ok());
        QStringList wrong = generateArgs({"gradient-96x96.png"}, "cpu");
        wrong[4] = QString::fromStdString(wide);
        expectOneLineError(runProgram(cliPath(), wrong), "do not belong together");
    }
};

QTEST_GUILESS_MAIN(TstVisionGenerateCli)
#include "tst_vision_generate_cli.moc"
