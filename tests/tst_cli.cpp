// facet-cli and facet-mkmodel as other tools use them: output formats,
// greedy tokens against the reference, logits file layout, and one-line
// errors with a non-zero exit for bad input.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>

#include "support/reference_model.h"
#include "support/test_paths.h"
#include "support/hang_guard.h"

using namespace facet::test;

namespace {

struct Outcome {
    int exitCode = -1;
    QString out, err;
};

Outcome run(const QString& program, const QStringList& args, const QByteArray& stdinData = {}) {
    QProcess p;
    p.start(program, args);
    Outcome o;
    if (!p.waitForStarted(kHangMs)) {
        o.err = "could not start " + program;
        return o;
    }
    if (!stdinData.isEmpty()) p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(kHangMs);
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

QString joinIds(const std::vector<int>& ids) {
    QStringList s;
    for (int id : ids) s << QString::number(id);
    return s.join(' ');
}

// A failure must be one line "facet-cli: ..." on stderr and a non-zero exit.
void expectOneLineError(const Outcome& o, const QString& needle) {
    QVERIFY2(o.exitCode > 0, qPrintable(QString("exit %1").arg(o.exitCode)));
    const QString e = o.err.trimmed();
    QVERIFY2(e.startsWith("facet-cli: ") && !e.contains('\n'), qPrintable(o.err));
    QVERIFY2(e.contains(needle), qPrintable(o.err));
}

}  // namespace

class TstCli : public QObject {
    Q_OBJECT
private slots:
    void tokenizeGgufVocabulary();
    void tokenizeRealTokenizerJson();
    void greedyGenerationMatchesReference();
    void logitsFileLayout();
    void infoDescribesLayers();
    void hfFolderWorksEverywhere();
    void chatPromptStreamsText();
    void errorsAreOneLine_data();
    void errorsAreOneLine();
    void truncatedModelFailsCleanly();

private:
    QTemporaryDir dir_;
};

void TstCli::tokenizeGgufVocabulary() {
    const Outcome o = run(cliPath(), {"tokenize", "--model", dataFile("e2b-like.gguf")}, "Hello world");
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.out, QString("2 538 616 323 340 339\n"));  // reference.tokenize of e2b-like.json, BOS first
    const Outcome n = run(cliPath(), {"tokenize", "--model", dataFile("e2b-like.gguf"), "--no-bos"}, "Hello world");
    QCOMPARE(n.out, QString("538 616 323 340 339\n"));
}

void TstCli::tokenizeRealTokenizerJson() {
    // Gemma's tokenizer: "Hello world" is [9259, 1902]; control text stays text.
    const Outcome o = run(cliPath(), {"tokenize", "--model", tokenizerJsonPath(), "--no-bos"}, "Hello world");
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.out, QString("9259 1902\n"));
    const Outcome t = run(cliPath(), {"tokenize", "--model", tokenizerJsonPath(), "--no-bos"}, "<end_of_turn>");
    QCOMPARE(t.exitCode, 0);
    QVERIFY2(t.out.split(' ').size() > 1, qPrintable(t.out));  // several ordinary pieces, not one control id
}

void TstCli::greedyGenerationMatchesReference() {
    ReferenceModel ref;
    QString err;
    QVERIFY2(loadReferenceModel("e2b-like.json", ref, err), qPrintable(err));
    const Outcome o = run(cliPath(), {"generate", "--model", ref.ggufPath, "--tokens", joinIds(ref.promptIds), "-n",
                                      "24", "--temp", "0"});
    QVERIFY2(o.exitCode == 0, qPrintable(o.err));
    QCOMPARE(o.out.trimmed(), joinIds(ref.exact.generated));
}

void TstCli::logitsFileLayout() {
    ReferenceModel ref;
    QString err;
    QVERIFY2(loadReferenceModel("moe-like.json", ref, err), qPrintable(err));
    const QString out = dir_.filePath("logits.f32");
    const Outcome o = run(cliPath(), {"logits", "--model", ref.ggufPath, "--tokens", joinIds(ref.promptIds), "--out", out});
    QVERIFY2(o.exitCode == 0, qPrintable(o.err));
    QFile f(out);
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray bytes = f.readAll();
    const int vocab = 618;
    QCOMPARE(bytes.size(), qsizetype(ref.promptIds.size()) * vocab * 4);
    for (const PromptLogits& pl : ref.exact.promptLogits) {
        std::vector<float> row(vocab);
        std::memcpy(row.data(), bytes.constData() + qsizetype(pl.pos) * vocab * 4, vocab * 4);
        QVERIFY(maxAbsDiff(row.data(), pl.logits) < 0.05);  // f32 tolerance of the reference README
    }
}

void TstCli::infoDescribesLayers() {
    const Outcome o = run(cliPath(), {"info", "--model", dataFile("e2b-like.gguf"), "--ctx", "4096"});
    QVERIFY2(o.exitCode == 0, qPrintable(o.err));
    QVERIFY(o.out.contains(QRegularExpression("layers:\\s+8\\n")));
    QVERIFY(o.out.contains("kv from 2"));
    QVERIFY(o.out.contains("kv from 3"));
    QVERIFY(o.out.contains("kv cache at ctx 4096"));
    QVERIFY(o.out.contains("per-layer embedding:"));
}

void TstCli::hfFolderWorksEverywhere() {
    const QString folder = dir_.filePath("hf-moe");
    const Outcome mk = run(mkmodelPath(), {"--variant", "moe-like", "--format", "hf", "--type", "bf16", "-o", folder});
    QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    const Outcome info = run(cliPath(), {"info", "--model", folder});
    QVERIFY2(info.exitCode == 0, qPrintable(info.err));
    QVERIFY(info.out.contains("Hugging Face safetensors"));
    QVERIFY(info.out.contains("BF16"));
    const Outcome tok = run(cliPath(), {"tokenize", "--model", folder}, "the children");
    QVERIFY2(tok.exitCode == 0, qPrintable(tok.err));
    QVERIFY(tok.out.startsWith("2 "));
    const Outcome gen = run(cliPath(), {"generate", "--model", folder, "--tokens", "2 10 11", "-n", "5", "--temp", "0"});
    QVERIFY2(gen.exitCode == 0, qPrintable(gen.err));
    QCOMPARE(gen.out.trimmed().split(' ').size(), 5);
}

void TstCli::chatPromptStreamsText() {
    const QString model = dir_.filePath("chat.gguf");
    const Outcome mk = run(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model});
    QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    const Outcome a = run(cliPath(), {"generate", "--model", model, "--prompt", "Hello", "--chat", "-n", "12", "--seed", "3"});
    const Outcome b = run(cliPath(), {"generate", "--model", model, "--prompt", "Hello", "--chat", "-n", "12", "--seed", "3"});
    QVERIFY2(a.exitCode == 0, qPrintable(a.err));
    QCOMPARE(a.out, b.out);  // deterministic for a seed
    QVERIFY(a.err.contains("t/s"));
}

void TstCli::errorsAreOneLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("needle");
    const QString m = dataFile("e2b-like.gguf");
    QTest::newRow("missing model") << QStringList{"info", "--model", "/nonexistent/x.gguf"} << "no such file";
    QTest::newRow("unknown command") << QStringList{"frobnicate"} << "unknown command";
    QTest::newRow("unknown option") << QStringList{"info", "--model", m, "--bogus"} << "unknown option";
    QTest::newRow("token outside vocab") << QStringList{"logits", "--model", m, "--tokens", "2 99999", "--out", "/tmp/x"}
                                         << "outside the vocabulary";
    QTest::newRow("bad ids") << QStringList{"generate", "--model", m, "--tokens", "2 x"} << "not a token id";
    QTest::newRow("prompt and tokens") << QStringList{"generate", "--model", m, "--tokens", "2", "--prompt", "hi"}
                                       << "exactly one";
    QTest::newRow("bad backend") << QStringList{"generate", "--model", m, "--tokens", "2", "--backend", "tpu"}
                                 << "unknown backend";
    QTest::newRow("not gguf") << QStringList{"info", "--model", dataFile("e2b-like.json")} << "e2b-like.json";
}

void TstCli::errorsAreOneLine() {
    QFETCH(QStringList, args);
    QFETCH(QString, needle);
    expectOneLineError(run(cliPath(), args), needle);
}

void TstCli::truncatedModelFailsCleanly() {
    QFile src(dataFile("e2b-like.gguf"));
    QVERIFY(src.open(QIODevice::ReadOnly));
    const QByteArray all = src.readAll();
    for (qsizetype cut : {qsizetype(10), qsizetype(3000), all.size() / 2, all.size() - 40}) {
        const QString path = dir_.filePath(QString("cut-%1.gguf").arg(cut));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(all.left(cut));
        f.close();
        const Outcome o = run(cliPath(), {"info", "--model", path});
        expectOneLineError(o, QString("cut-%1.gguf").arg(cut));
    }
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
