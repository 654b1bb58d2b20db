// facet-cli and facet-mkmodel as other tools use them: output formats,
// greedy tokens against the reference, logits file layout, and one-line
// errors with a non-zero exit for bad input.
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>

#include "support/reference_model.h"
#include "support/cli_run.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"

using namespace facet::test;

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
    const ProcessOutcome o = runProgram(cliPath(), {"tokenize", "--model", dataFile("e2b-like.gguf")}, "Hello world");
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.out, QString("2 538 616 323 340 339\n"));  // reference.tokenize of e2b-like.json, BOS first
    const ProcessOutcome n = runProgram(cliPath(), {"tokenize", "--model", dataFile("e2b-like.gguf"), "--no-bos"}, "Hello world");
    QCOMPARE(n.out, QString("538 616 323 340 339\n"));
}

void TstCli::tokenizeRealTokenizerJson() {
    // Gemma's tokenizer: "Hello world" is [9259, 1902]; control text stays text.
    const ProcessOutcome o = runProgram(cliPath(), {"tokenize", "--model", tokenizerJsonPath(), "--no-bos"}, "Hello world");
    QCOMPARE(o.exitCode, 0);
    QCOMPARE(o.out, QString("9259 1902\n"));
    const ProcessOutcome t = runProgram(cliPath(), {"tokenize", "--model", tokenizerJsonPath(), "--no-bos"}, "<end_of_turn>");
    QCOMPARE(t.exitCode, 0);
    QVERIFY2(t.out.split(' ').size() > 1, qPrintable(t.out));  // several ordinary pieces, not one control id
}

void TstCli::greedyGenerationMatchesReference() {
    ReferenceModel ref;
    QString err;
    QVERIFY2(loadReferenceModel("e2b-like.json", ref, err), qPrintable(err));
    const ProcessOutcome o = runProgram(cliPath(), {"generate", "--model", ref.ggufPath, "--tokens", joinIds(ref.promptIds), "-n",
                                      "24", "--temp", "0"});
    QVERIFY2(o.exitCode == 0, qPrintable(o.err));
    QCOMPARE(o.out.trimmed(), joinIds(ref.exact.generated));
}

void TstCli::logitsFileLayout() {
    ReferenceModel ref;
    QString err;
    QVERIFY2(loadReferenceModel("moe-like.json", ref, err), qPrintable(err));
    const QString out = dir_.filePath("logits.f32");
    const ProcessOutcome o = runProgram(cliPath(), {"logits", "--model", ref.ggufPath, "--tokens", joinIds(ref.promptIds), "--out", out});
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
    const ProcessOutcome o = runProgram(cliPath(), {"info", "--model", dataFile("e2b-like.gguf"), "--ctx", "4096"});
    QVERIFY2(o.exitCode == 0, qPrintable(o.err));
    QVERIFY(o.out.contains(QRegularExpression("layers:\\s+8\\n")));
    QVERIFY(o.out.contains("kv from 2"));
    QVERIFY(o.out.contains("kv from 3"));
    QVERIFY(o.out.contains("kv cache at ctx 4096"));
    QVERIFY(o.out.contains("per-layer embedding:"));
}

void TstCli::hfFolderWorksEverywhere() {
    const QString folder = dir_.filePath("hf-moe");
    const ProcessOutcome mk = runProgram(mkmodelPath(), {"--variant", "moe-like", "--format", "hf", "--type", "bf16", "-o", folder});
    QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    const ProcessOutcome info = runProgram(cliPath(), {"info", "--model", folder});
    QVERIFY2(info.exitCode == 0, qPrintable(info.err));
    QVERIFY(info.out.contains("Hugging Face safetensors"));
    QVERIFY(info.out.contains("BF16"));
    const ProcessOutcome tok = runProgram(cliPath(), {"tokenize", "--model", folder}, "the children");
    QVERIFY2(tok.exitCode == 0, qPrintable(tok.err));
    QVERIFY(tok.out.startsWith("2 "));
    const ProcessOutcome gen = runProgram(cliPath(), {"generate", "--model", folder, "--tokens", "2 10 11", "-n", "5", "--temp", "0"});
    QVERIFY2(gen.exitCode == 0, qPrintable(gen.err));
    QCOMPARE(gen.out.trimmed().split(' ').size(), 5);
}

void TstCli::chatPromptStreamsText() {
    const QString model = dir_.filePath("chat.gguf");
    const ProcessOutcome mk = runProgram(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model});
    QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    const ProcessOutcome a = runProgram(cliPath(), {"generate", "--model", model, "--prompt", "Hello", "--chat", "-n", "12", "--seed", "3"});
    const ProcessOutcome b = runProgram(cliPath(), {"generate", "--model", model, "--prompt", "Hello", "--chat", "-n", "12", "--seed", "3"});
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
    expectOneLineError(runProgram(cliPath(), args), needle);
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
        const ProcessOutcome o = runProgram(cliPath(), {"info", "--model", path});
        expectOneLineError(o, QString("cut-%1.gguf").arg(cut));
    }
}

QTEST_GUILESS_MAIN(TstCli)
#include "tst_cli.moc"
