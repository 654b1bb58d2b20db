// `facet-cli embed` as other tools use it: the output file layout (one
// float32 little-endian row), --tokens and --text against the float64
// reference, --dim truncation, the reduced form, and one-line errors with a
// non-zero exit for every failure.
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

#include "support/embedding_reference.h"
#include "support/cli_run.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"

using namespace facet::test;

namespace {

// Tolerances as in tst_embedding_forward (tests/data/embedding/README.md).
constexpr double kMaxAbs = 2e-3;
constexpr double kMinCosine = 0.999;



std::vector<float> readRow(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QByteArray b = f.readAll();
    std::vector<float> v(static_cast<size_t>(b.size()) / 4);
    std::memcpy(v.data(), b.constData(), v.size() * 4);  // the file is little endian, as is this host
    return v;
}


}  // namespace

class TstEmbeddingCli : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void embedsTokensAndText_data();
    void embedsTokensAndText();
    void dimTruncatesAndRenormalizes();
    void errorsAreOneLine_data();
    void errorsAreOneLine();

private:
    QTemporaryDir dir_;
};

void TstEmbeddingCli::initTestCase() { QVERIFY(dir_.isValid()); }

void TstEmbeddingCli::embedsTokensAndText_data() {
    QTest::addColumn<QString>("stem");
    QTest::addColumn<int>("caseIndex");
    QTest::addColumn<QString>("backend");  // "" = no --backend option
    QTest::newRow("f32 dense") << "embgemma-like.s11" << 1 << "";
    QTest::newRow("q8_0 dense, cpu") << "embgemma-like.s12.q8_0" << 3 << "cpu";
    QTest::newRow("reduced form, gemma4 vocab") << "embgemma-nodense.s13" << 0 << "";
    QTest::newRow("real vocabulary") << "embgemma-gemmavocab.s14.q8_0" << 2 << "cpu";
    // EmbeddingVulkan (lavapipe here): the same file layout and bounds.
    QTest::newRow("q8_0 dense, vulkan") << "embgemma-like.s12.q8_0" << 2 << "vulkan";
    QTest::newRow("reduced form, vulkan") << "embgemma-nodense.s13" << 1 << "vulkan";
}

void TstEmbeddingCli::embedsTokensAndText() {
    QFETCH(QString, stem);
    QFETCH(int, caseIndex);
    QFETCH(QString, backend);
    const EmbeddingReference ref = loadEmbeddingReference(stem);
    QVERIFY(static_cast<int>(ref.cases.size()) > caseIndex);
    const EmbeddingCase& c = ref.cases[caseIndex];
    const QStringList extra = backend.isEmpty() ? QStringList{} : QStringList{"--backend", backend};
    const QStringList inputs[] = {{"--tokens", joinIds(c.ids)}, {"--text", QString::fromStdString(c.text)}};
    for (const QStringList& input : inputs) {
        const QString out = dir_.filePath(stem + input[0] + ".f32");
        const ProcessOutcome o = runProgram(cliPath(), QStringList{"embed", "--model", ref.gguf} + input + extra + QStringList{"--out", out});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        const std::vector<float> row = readRow(out);
        QCOMPARE(row.size(), c.exact.size());  // exactly one row, dense_3's width (or hidden when reduced)
        const VectorDiff d = compareVectors(c.exact, row);
        QVERIFY2(d.maxAbs <= kMaxAbs && d.cosine >= kMinCosine,
                 qPrintable(QString("%1: max abs %2, cosine %3").arg(input[0]).arg(d.maxAbs).arg(d.cosine)));
        QVERIFY(!QFile::exists(out + ".tmp"));
    }
}

void TstEmbeddingCli::dimTruncatesAndRenormalizes() {
    const EmbeddingReference ref = loadEmbeddingReference("embgemma-like.s11.q8_0");
    const EmbeddingCase& c = ref.cases[2];
    for (const QString backend : {"cpu", "vulkan"}) {
        const QString out = dir_.filePath("dim-" + backend + ".f32");
        const ProcessOutcome o = runProgram(cliPath(), {"embed", "--model", ref.gguf, "--text", QString::fromStdString(c.text),
                                                        "--dim", "16", "--backend", backend, "--out", out});
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
        const std::vector<float> row = readRow(out);
        QCOMPARE(row.size(), size_t{16});
        const VectorDiff d = compareVectors(truncatedReference(c.exact, 16), row);
        QVERIFY2(d.maxAbs <= kMaxAbs && d.cosine >= kMinCosine,
                 qPrintable(QString("%1: max abs %2").arg(backend).arg(d.maxAbs)));
    }
}

void TstEmbeddingCli::errorsAreOneLine_data() {
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("needle");
    const QString model = dataFile("embedding/embgemma-like.s11.q8_0.gguf");
    const QString out = QDir::temp().filePath("facet-embed-never-written.f32");
    QTest::newRow("no such vulkan device") << QStringList{"embed", "--model", model, "--tokens", "2 1", "--backend",
                                                          "vulkan", "--device", "no-such-gpu", "--out", out}
                                           << "no Vulkan device matches 'no-such-gpu'";
    QTest::newRow("device without vulkan") << QStringList{"embed", "--model", model, "--tokens", "2 1", "--device", "0",
                                                          "--out", out}
                                           << "--device needs --backend vulkan";
    QTest::newRow("id outside vocab, vulkan") << QStringList{"embed", "--model", model, "--tokens", "2 618 1",
                                                             "--backend", "vulkan", "--out", out}
                                              << "outside the vocabulary";
    QTest::newRow("unknown backend") << QStringList{"embed", "--model", model, "--tokens", "2 1", "--backend", "tpu",
                                                    "--out", out}
                                     << "unknown backend 'tpu'";
    QTest::newRow("text and tokens") << QStringList{"embed", "--model", model, "--tokens", "2 1", "--text", "hi",
                                                    "--out", out}
                                     << "exactly one of --text and --tokens";
    QTest::newRow("neither input") << QStringList{"embed", "--model", model, "--out", out}
                                   << "exactly one of --text and --tokens";
    QTest::newRow("no out") << QStringList{"embed", "--model", model, "--tokens", "2 1"} << "--out";
    QTest::newRow("no model") << QStringList{"embed", "--tokens", "2 1", "--out", out} << "--model";
    QTest::newRow("missing file") << QStringList{"embed", "--model", "/nonexistent.gguf", "--tokens", "2 1", "--out",
                                                 out}
                                  << "/nonexistent.gguf";
    QTest::newRow("chat model") << QStringList{"embed", "--model", dataFile("e2b-like.gguf"), "--tokens", "2 1",
                                               "--out", out}
                                << "architecture is 'gemma4'";
    QTest::newRow("id outside vocab") << QStringList{"embed", "--model", model, "--tokens", "2 618 1", "--out", out}
                                      << "outside the vocabulary";
    QTest::newRow("bad ids") << QStringList{"embed", "--model", model, "--tokens", "2 x", "--out", out} << "x";
    QTest::newRow("empty ids") << QStringList{"embed", "--model", model, "--tokens", "", "--out", out} << "";
    QTest::newRow("dim zero") << QStringList{"embed", "--model", model, "--tokens", "2 1", "--dim", "0", "--out", out}
                              << "--dim";
    QTest::newRow("dim too big") << QStringList{"embed", "--model", model, "--tokens", "2 1", "--dim", "65", "--out",
                                                out}
                                 << "1..64";
    QTest::newRow("unwritable out") << QStringList{"embed", "--model", model, "--tokens", "2 1", "--out",
                                                   "/nonexistent-dir/x.f32"}
                                    << "/nonexistent-dir/x.f32";
    QTest::newRow("unknown option") << QStringList{"embed", "--model", model, "--tokens", "2 1", "--out", out,
                                                   "--pooling", "cls"}
                                    << "--pooling";
}

void TstEmbeddingCli::errorsAreOneLine() {
    QFETCH(QStringList, args);
    QFETCH(QString, needle);
    const ProcessOutcome o = runProgram(cliPath(), args);
    expectOneLineError(o, needle);
    QVERIFY(!QFile::exists(QDir::temp().filePath("facet-embed-never-written.f32")));
}

QTEST_GUILESS_MAIN(TstEmbeddingCli)
#include "tst_embedding_cli.moc"
