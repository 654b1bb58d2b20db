// Split GGUF models (llama.cpp's gguf-split: "<stem>-00001-of-00003.gguf"
// ...) open as one model from any part: the CPU forward gives the single
// file's logits bit for bit, so does the Vulkan forward, facet-cli prints the
// same facts, tokens and generation; a missing part, a wrong split.count or
// split.no, a part of another model and a part without split keys are
// refused with an error naming the part.
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>
#include <cstring>

#include "cpu/cpu_forward.h"
#include "model/gguf_split.h"
#include "model/model.h"
#include "model/variants.h"
#include "runtime/vulkan_backend.h"
#include "support/cli_run.h"
#include "support/gguf_splitter.h"
#include "support/model_factory.h"
#include "support/test_paths.h"

using namespace facet;
using namespace facet::test;

namespace {

const std::vector<int> kTokens{2, 17, 300, 5, 99, 42, 250, 8, 61, 7};

std::vector<float> cpuLogits(const Model& m) {
    cpu::CpuForward f(m.desc(), m.weights(), int(kTokens.size()));
    std::vector<float> logits;
    const Status s = f.forward(kTokens, true, logits);
    if (!s.ok()) qWarning("%s", s.message().c_str());
    return logits;
}

template <typename R>
const char* why(const R& r) {
    return r.ok() ? "" : r.message().c_str();
}

bool sameBits(const std::vector<float>& a, const std::vector<float>& b) {
    return !a.empty() && a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

// facet-cli info's lines, less the ones that name the files.
QStringList facts(const QString& out) {
    QStringList kept;
    for (const QString& line : out.split('\n'))
        if (!line.startsWith("model:") && !line.startsWith("parts:")) kept << line;
    return kept;
}

}  // namespace

class TstGgufSplit : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString single_;                   // e2b-like, Q8_0
    std::vector<std::string> parts_;   // the same model in 3 parts

    // `variant` as one file and as three parts under `sub`.
    bool writeBoth(const QString& sub, const QString& variant, QString& single, std::vector<std::string>& parts,
                   const PartTamper& tamper = {}, uint64_t seed = 5) {
        ModelDesc d;
        if (!variantByName(variant.toStdString(), d)) return false;
        QDir().mkpath(dir_.filePath(sub));
        MakeOptions opt;
        opt.weightType = GgmlType::Q8_0;
        opt.seed = seed;
        QString err;
        single = writeModel(dir_, sub + "/" + variant + ".gguf", d, opt, false, err);
        if (single.isEmpty()) {
            qWarning("%s", qPrintable(err));
            return false;
        }
        auto split = splitGguf(single.toStdString(), dir_.filePath(sub + "/" + variant).toStdString(), 3, tamper);
        if (!split.ok()) qWarning("%s", split.message().c_str());
        if (split.ok()) parts = split.value();
        return split.ok();
    }

    // Model::open's error for a set written with `tamper` (or changed by `change`).
    QString openError(const QString& sub, const PartTamper& tamper, const std::function<void(const std::vector<std::string>&)>& change,
                      int openPart = 1) {
        QString single;
        std::vector<std::string> parts;
        if (!writeBoth(sub, "e2b-like", single, parts, tamper)) return "could not write";
        if (change) change(parts);
        auto m = Model::open(parts[size_t(openPart - 1)]);
        return m.ok() ? QString() : QString::fromStdString(m.message());
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        QVERIFY(writeBoth("base", "e2b-like", single_, parts_));
        QCOMPARE(parts_.size(), size_t(3));
        QVERIFY(QString::fromStdString(parts_[1]).endsWith("e2b-like-00002-of-00003.gguf"));
    }

    void namesParse() {
        const auto n = parseGgufSplitName("/m/gemma-4-31B-it-BF16-00002-of-00003.gguf");
        QVERIFY(n);
        QCOMPARE(n->stem, std::string("/m/gemma-4-31B-it-BF16"));
        QCOMPARE(n->index, 2);
        QCOMPARE(n->count, 3);
        QCOMPARE(ggufSplitPartPath(*n, 3), std::string("/m/gemma-4-31B-it-BF16-00003-of-00003.gguf"));
        QVERIFY(!parseGgufSplitName("m-00004-of-00003.gguf"));  // index past the count
        QVERIFY(!parseGgufSplitName("m-00000-of-00003.gguf"));
        QVERIFY(!parseGgufSplitName("m-0001-of-00003.gguf"));
        QVERIFY(!parseGgufSplitName("model.gguf"));
    }

    // Any part opens the whole model; its CPU logits are the single file's, bit for bit.
    void cpuLogitsEqualTheSingleFile_data() {
        QTest::addColumn<QString>("variant");
        QTest::addColumn<int>("openPart");
        QTest::newRow("e2b-like from part 1") << "e2b-like" << 1;
        QTest::newRow("e2b-like from part 2") << "e2b-like" << 2;
        QTest::newRow("moe-like from part 3") << "moe-like" << 3;
        QTest::newRow("dense31b-like from part 1") << "dense31b-like" << 1;
    }
    void cpuLogitsEqualTheSingleFile() {
        QFETCH(QString, variant);
        QFETCH(int, openPart);
        QString single = single_;
        std::vector<std::string> parts = parts_;
        if (variant != "e2b-like") QVERIFY(writeBoth(variant, variant, single, parts));
        auto one = Model::open(single.toStdString());
        auto split = Model::open(parts[size_t(openPart - 1)]);
        QVERIFY2(one.ok(), why(one));
        QVERIFY2(split.ok(), why(split));
        QCOMPARE(split.value()->ggufParts()->partCount(), size_t(3));
        for (size_t p = 0; p < 3; ++p) QVERIFY(!split.value()->ggufParts()->part(p).tensors().empty());
        QCOMPARE(split.value()->ggufParts()->tensors().size(), one.value()->gguf()->tensors().size());
        QCOMPARE(split.value()->gguf()->path(), parts[0]);  // the metadata comes from part 1
        QCOMPARE(split.value()->weightBytes(), one.value()->weightBytes());
        QCOMPARE(split.value()->typeCounts(), one.value()->typeCounts());
        QVERIFY(sameBits(cpuLogits(*split.value()), cpuLogits(*one.value())));
    }

    // The Vulkan upload reads every part: the same logits as the single file on the same device.
    void vulkanLogitsEqualTheSingleFile() {
        auto one = Model::open(single_.toStdString());
        auto split = Model::open(parts_[1]);
        QVERIFY(one.ok() && split.ok());
        VulkanBackendOptions o;
        o.maxContext = 64;
        o.tune = 0;
        o.kernelChoicesPath = "";
        std::vector<float> a, b;
        for (auto [model, out] : {std::pair{one.value().get(), &a}, {split.value().get(), &b}}) {
            auto backend = VulkanBackend::create(*model, o);
            QVERIFY2(backend.ok(), why(backend));
            const Status s = backend.value()->forward(kTokens, true, *out);
            QVERIFY2(s.ok(), why(s));
        }
        QVERIFY(sameBits(a, b));
    }

    // facet-cli on part 2: the same facts, tokens and greedy tokens as on the single file.
    void cliSeesOneModel() {
        const QString part2 = QString::fromStdString(parts_[1]);
        const ProcessOutcome a = runProgram(cliPath(), {"info", "--model", single_});
        const ProcessOutcome b = runProgram(cliPath(), {"info", "--model", part2});
        QVERIFY2(a.exitCode == 0, qPrintable(a.err));
        QVERIFY2(b.exitCode == 0, qPrintable(b.err));
        QVERIFY(b.out.contains(QRegularExpression("parts:\\s+3 files\\n")));
        QVERIFY(facts(a.out).size() > 20);
        QCOMPARE(facts(b.out), facts(a.out));
        for (const QStringList& cmd : {QStringList{"tokenize"}, QStringList{"generate", "--tokens", "2 10 11", "-n", "6",
                                                                            "--temp", "0", "--backend", "cpu"}}) {
            const ProcessOutcome x = runProgram(cliPath(), QStringList(cmd) << "--model" << single_, "Hello world");
            const ProcessOutcome y = runProgram(cliPath(), QStringList(cmd) << "--model" << part2, "Hello world");
            QVERIFY2(x.exitCode == 0 && y.exitCode == 0, qPrintable(x.err + y.err));
            QVERIFY(!x.out.trimmed().isEmpty());
            QCOMPARE(y.out, x.out);
        }
        expectOneLineError(runProgram(cliPath(), {"info", "--model", dir_.filePath("base/e2b-like-00002-of-00004.gguf")}),
                           "no such file");
    }

    void missingPartIsNamed() {
        const QString e = openError("missing", {}, [](const std::vector<std::string>& p) { QFile::remove(QString::fromStdString(p[2])); }, 2);
        QVERIFY2(e.contains("part 3 of 3 (") && e.contains("e2b-like-00003-of-00003.gguf) is missing"), qPrintable(e));
    }

    void wrongSplitCountIsNamed() {
        const QString e = openError("count", [](int i, GgufWriter& w) {
            if (i == 2) w.addUInt16("split.count", 4);
        }, {});
        QVERIFY2(e.contains("part 2 of 3 (") && e.contains("-00002-of-00003.gguf): split.count is 4, expected 3"), qPrintable(e));
        // The file opened says another count than its name.
        const QString f = openError("count-given", [](int i, GgufWriter& w) {
            if (i == 1) w.addUInt16("split.count", 2);
        }, {});
        QVERIFY2(f.contains("-00001-of-00003.gguf: split.count is 2, but the name says 3 parts"), qPrintable(f));
    }

    void wrongSplitNoIsNamed() {
        const QString e = openError("no", [](int i, GgufWriter& w) {
            if (i == 3) w.addUInt16("split.no", 1);
        }, {});
        QVERIFY2(e.contains("part 3 of 3 (") && e.contains("split.no is 1, expected 2"), qPrintable(e));
    }

    void partWithoutSplitKeysIsNamed() {
        // A plain model file saved under a part's name.
        const QString e = openError("plain", {}, [this](const std::vector<std::string>& p) {
            QFile::remove(QString::fromStdString(p[1]));
            QFile::copy(single_, QString::fromStdString(p[1]));
        });
        QVERIFY2(e.contains("part 2 of 3 (") && e.contains("has no split.count"), qPrintable(e));
    }

    // Parts of two different models: a tensor twice, or missing, or another total.
    void partOfAnotherModelIsNamed() {
        // dense31b-like's part 3 holds other tensors: the total differs.
        QString otherSingle;
        std::vector<std::string> other;
        QVERIFY(writeBoth("other", "dense31b-like", otherSingle, other));
        const QString total = openError("foreign-total", {}, [&](const std::vector<std::string>& p) {
            QFile::remove(QString::fromStdString(p[2]));
            QFile::copy(QString::fromStdString(other[2]), QString::fromStdString(p[2]));
        });
        QVERIFY2(total.contains("part 3 of 3 (") && total.contains("split.tensors.count is") &&
                     total.contains("different models"), qPrintable(total));
        // Part 2 repeats part 1's tensors (same total): a tensor in two parts.
        QVERIFY(QDir().mkpath(dir_.filePath("twice")));
        const QString twice = openError("foreign-twice", {}, [&](const std::vector<std::string>& p) {
            auto copy = splitGguf(single_.toStdString(), dir_.filePath("twice/x").toStdString(), 3, [](int i, GgufWriter& w) {
                if (i == 1) w.addUInt16("split.no", 1);  // part 1's tensors, labelled as part 2
            });
            QVERIFY(copy.ok());
            QFile::remove(QString::fromStdString(p[1]));
            QFile::copy(QString::fromStdString(copy.value()[0]), QString::fromStdString(p[1]));
        });
        QVERIFY2(twice.contains("is in part 1 of 3 (") && twice.contains("and in part 2 of 3 (") &&
                     twice.contains("-00002-of-00003.gguf)"), qPrintable(twice));
        // A part with fewer tensors than the total says: the counts per part are listed.
        const QString fewer = openError("fewer", [](int, GgufWriter& w) { w.addInt32("split.tensors.count", 9999); }, {});
        QVERIFY2(fewer.contains("the 3 parts hold") && fewer.contains("split.tensors.count is 9999"), qPrintable(fewer));
    }
};

QTEST_GUILESS_MAIN(TstGgufSplit)
#include "tst_gguf_split.moc"
