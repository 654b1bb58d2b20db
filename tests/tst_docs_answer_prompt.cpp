// The answer prompt (app/documents/answer_{passages,prompt}): neighbouring
// chunks merge into one passage ranked by its best chunk, passages are
// numbered in rank order, the lowest-ranked go first when the budget is
// short, an empty result tells the model that nothing was found, and each
// source is one line in the documented format.
#include <QtTest>

#include "answer_prompt.h"

using namespace facet::docs;

namespace {

SearchHit hit(const QString& path, int ordinal, const QString& text, const QString& section = {}, int page = 0,
              const QString& label = {}) {
    SearchHit h;
    h.path = path;
    h.ordinal = ordinal;
    h.text = text;
    h.section = section;
    h.page = page;
    h.pageLabel = label;
    return h;
}

AnswerPassage passage(const QString& path, const QString& text) {
    AnswerPassage p;
    p.path = path;
    p.text = text;
    return p;
}

// One token per 4 characters, like the chunker without a tokenizer.
int quarterChars(const QString& s) { return int((s.size() + 3) / 4); }

}  // namespace

class TstDocsAnswerPrompt : public QObject {
    Q_OBJECT

private slots:
    void mergesConsecutiveChunksOfOneSection() {
        const auto out = mergeNeighbours({hit("/a.txt", 3, "three"), hit("/b.txt", 0, "other"),
                                          hit("/a.txt", 5, "five"), hit("/a.txt", 4, "four")});
        QCOMPARE(out.size(), size_t(2));
        QCOMPARE(out[0].path, QStringLiteral("/a.txt"));  // its best chunk ranked first
        QCOMPARE(out[0].text, QStringLiteral("three\nfour\nfive"));
        QCOMPARE(out[0].firstOrdinal, 3);
        QCOMPARE(out[0].lastOrdinal, 5);
        QCOMPARE(out[1].path, QStringLiteral("/b.txt"));
    }

    void keepsGapsAndOtherSectionsApart() {
        const auto out = mergeNeighbours({hit("/a.md", 1, "one", "Intro"), hit("/a.md", 3, "three", "Intro"),
                                          hit("/a.md", 2, "two", "Setup"), hit("/a.pdf", 4, "p4", {}, 4),
                                          hit("/a.pdf", 5, "p5", {}, 5)});
        QCOMPARE(out.size(), size_t(5));  // a gap, another section and another page each stay apart
        QCOMPARE(out[0].text, QStringLiteral("one"));
        QCOMPARE(out[1].text, QStringLiteral("three"));
        QCOMPARE(out[2].section, QStringLiteral("Setup"));
        QCOMPARE(out[4].page, 5);
    }

    void ranksMergedPassageByItsBestChunk() {
        const auto out = mergeNeighbours({hit("/b.txt", 0, "b"), hit("/a.txt", 8, "late"), hit("/a.txt", 7, "early")});
        QCOMPARE(out.size(), size_t(2));
        QCOMPARE(out[0].path, QStringLiteral("/b.txt"));
        QCOMPARE(out[1].text, QStringLiteral("early\nlate"));  // document order inside a passage
    }

    void keepsTheRepeatedOverlapOnce() {
        const auto out = mergeNeighbours({hit("/a.txt", 0, "First sentence. Shared sentence here."),
                                          hit("/a.txt", 1, "Shared sentence here. Next sentence.")});
        QCOMPARE(out.size(), size_t(1));
        QCOMPARE(out[0].text, QStringLiteral("First sentence. Shared sentence here. Next sentence."));
    }

    void numbersPassagesInRankOrder() {
        auto built = buildAnswerPrompt("What do armadillos eat?",
                                       {passage("/lib/first.txt", "Insects."), passage("/lib/second.txt", "Grubs.")},
                                       10000, quarterChars);
        QVERIFY2(built.ok(), built.ok() ? "" : built.message().c_str());
        const QString m = built->message;
        QCOMPARE(built->passages.size(), size_t(2));
        QCOMPARE(built->dropped, 0);
        const qsizetype one = m.indexOf("[1] (first.txt)\nInsects.");
        const qsizetype two = m.indexOf("[2] (second.txt)\nGrubs.");
        QVERIFY2(one > 0 && two > one, qPrintable(m));
        QVERIFY(m.contains("only the numbered passages"));
        QVERIFY(m.contains("like [1] or [2]"));
        QVERIFY(m.endsWith("Question: What do armadillos eat?"));
        QVERIFY(!m.contains("No passage"));
    }

    void headerNamesPageAndSection() {
        AnswerPassage p = passage("/lib/book.pdf", "Text.");
        p.page = 12;
        p.pageLabel = "xii";
        p.section = "Intro > Setup";
        auto built = buildAnswerPrompt("q", {p}, 10000, quarterChars);
        QVERIFY(built.ok());
        QVERIFY2(built->message.contains("[1] (book.pdf, page xii, section \"Intro > Setup\")"), qPrintable(built->message));
    }

    void dropsLowestRankedToFitTheBudget() {
        const QString body(400, QLatin1Char('x'));  // 100 tokens each
        std::vector<AnswerPassage> ps = {passage("/a", body), passage("/b", body), passage("/c", body)};
        auto all = buildAnswerPrompt("q", ps, 100000, quarterChars);
        QVERIFY(all.ok());
        const int full = quarterChars(all->message);
        auto built = buildAnswerPrompt("q", ps, full - 50, quarterChars);
        QVERIFY(built.ok());
        QCOMPARE(built->dropped, 1);
        QCOMPARE(built->passages.size(), size_t(2));
        QCOMPARE(built->passages[0].path, QStringLiteral("/a"));
        QCOMPARE(built->passages[1].path, QStringLiteral("/b"));
        QVERIFY(!built->trimmed);
        QVERIFY(quarterChars(built->message) <= full - 50);
        QVERIFY(!built->message.contains("[3]"));
    }

    void trimsTheBestPassageWhenItAloneIsTooLong() {
        std::vector<AnswerPassage> ps = {passage("/a", QString(4000, QLatin1Char('y'))), passage("/b", "short")};
        const int budget = 300;
        auto built = buildAnswerPrompt("q", ps, budget, quarterChars);
        QVERIFY(built.ok());
        QCOMPARE(built->passages.size(), size_t(1));
        QVERIFY(built->trimmed);
        QCOMPARE(built->dropped, 1);
        const int used = quarterChars(built->message);
        QVERIFY2(used <= budget && used >= budget - 1, qPrintable(QString::number(used)));  // the longest prefix that fits
        QVERIFY(built->passages[0].text.size() < 4000);
    }

    void noPassageTellsTheModelNothingWasFound() {
        auto built = buildAnswerPrompt("Where is the zebra?", {}, 10000, quarterChars);
        QVERIFY(built.ok());
        QVERIFY(built->passages.empty());
        QVERIFY(built->message.contains("No passage in the user's documents matched"));
        QVERIFY(built->message.contains("nothing relevant was found"));
        QVERIFY(!built->message.contains("[1]"));
        QVERIFY(built->message.endsWith("Question: Where is the zebra?"));
    }

    void failsWhenTheQuestionAloneIsTooLong() {
        auto built = buildAnswerPrompt(QString(2000, QLatin1Char('q')), {passage("/a", "x")}, 100, quarterChars);
        QVERIFY(!built.ok());
        QVERIFY2(QString::fromStdString(built.message()).contains("100 tokens"), built.message().c_str());
    }

    void sourceLineFormat_data() {
        QTest::addColumn<int>("page");
        QTest::addColumn<QString>("label");
        QTest::addColumn<QString>("section");
        QTest::addColumn<QString>("expected");
        QTest::newRow("path only") << 0 << "" << "" << "[3] /abs/notes.txt";
        QTest::newRow("section") << 0 << "" << "Care > Diet" << "[3] /abs/notes.txt, section \"Care > Diet\"";
        QTest::newRow("page") << 12 << "" << "" << "[3] /abs/notes.txt, page 12";
        QTest::newRow("label same as page") << 12 << "12" << "" << "[3] /abs/notes.txt, page 12";
        QTest::newRow("everything") << 12 << "xii" << "Intro > Setup"
                                    << "[3] /abs/notes.txt, page 12 (label xii), section \"Intro > Setup\"";
    }

    void sourceLineFormat() {
        QFETCH(int, page);
        QFETCH(QString, label);
        QFETCH(QString, section);
        QFETCH(QString, expected);
        AnswerPassage p = passage("/abs/notes.txt", "text");
        p.page = page;
        p.pageLabel = label;
        p.section = section;
        QCOMPARE(sourceLine(3, p), expected);
    }
};

QTEST_GUILESS_MAIN(TstDocsAnswerPrompt)
#include "tst_docs_answer_prompt.moc"
