// Message rendering helpers: splitMarkdownBlocks (prose vs fenced code, the
// fence's language, ~~~ fences, an unclosed fence while streaming) and
// SyntaxHighlighter (keywords, strings, comments, numbers in each supported
// language; unknown languages stay plain; block comments across lines).
#include <QTextBlock>
#include <QTextDocument>
#include <QTextLayout>
#include <QtTest>

#include "markdown_blocks.h"
#include "syntax_highlighter.h"

namespace {

// The foreground color the highlighter gave to text[pos] in `block` (invalid = none).
QColor colorAt(const QTextBlock& block, int pos) {
    for (const QTextLayout::FormatRange& r : block.layout()->formats())
        if (pos >= r.start && pos < r.start + r.length) return r.format.foreground().color();
    return {};
}

}  // namespace

class TstAppMarkdown : public QObject {
    Q_OBJECT

private slots:
    void splitsProseAndCode() {
        const QString md = "Intro **bold**\n\n```Python extra words\nprint('hi')\n\nx = 1\n```\nAfter\n~~~\nraw\n~~~";
        const auto b = splitMarkdownBlocks(md);
        QCOMPARE(b.size(), 4);
        QVERIFY(!b[0].code);
        QCOMPARE(b[0].text.trimmed(), QString("Intro **bold**"));
        QVERIFY(b[1].code);
        QCOMPARE(b[1].language, QString("python"));
        QCOMPARE(b[1].text, QString("print('hi')\n\nx = 1"));
        QVERIFY(!b[2].code);
        QCOMPARE(b[2].text, QString("After"));
        QVERIFY(b[3].code);
        QCOMPARE(b[3].language, QString());
        QCOMPARE(b[3].text, QString("raw"));
    }

    void unclosedFenceIsCodeToTheEnd() {
        const auto b = splitMarkdownBlocks("Here:\n```rust\nfn main() {\n    let x = \"```\";");
        QCOMPARE(b.size(), 2);
        QVERIFY(b[1].code);
        QCOMPARE(b[1].language, QString("rust"));
        QCOMPARE(b[1].text, QString("fn main() {\n    let x = \"```\";"));  // a fence inside a line is code
        QCOMPARE(markdownBlocksForQml("plain").size(), 1);
        QVERIFY(splitMarkdownBlocks("").isEmpty());
    }

    void resolvesLanguageAliases_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("canonical");
        QTest::newRow("c") << "c" << "cpp";
        QTest::newRow("C++") << "C++" << "cpp";
        QTest::newRow("py") << "py" << "python";
        QTest::newRow("ts") << "ts" << "javascript";
        QTest::newRow("rs") << "rs" << "rust";
        QTest::newRow("golang") << "golang" << "go";
        QTest::newRow("java") << "java" << "java";
        QTest::newRow("bash") << "bash" << "shell";
        QTest::newRow("json") << "json" << "json";
        QTest::newRow("sqlite") << "sqlite" << "sql";
        QTest::newRow("unknown") << "brainfuck" << "";
    }
    void resolvesLanguageAliases() {
        QFETCH(QString, name);
        QFETCH(QString, canonical);
        QCOMPARE(SyntaxHighlighter::canonicalLanguage(name), canonical);
    }

    // Each row: code, language, the position of a keyword, a string, a comment
    // and a number (-1 = not in this row), and a position that stays plain.
    void colorsTokens_data() {
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("language");
        QTest::addColumn<int>("keyword");
        QTest::addColumn<int>("string");
        QTest::addColumn<int>("comment");
        QTest::addColumn<int>("number");
        QTest::addColumn<int>("plain");
        QTest::newRow("cpp") << "int x = 42; // \"no\"" << "cpp" << 0 << -1 << 12 << 8 << 4;
        QTest::newRow("python") << "def f(): return 'a' # c" << "python" << 0 << 16 << 21 << -1 << 4;
        QTest::newRow("js") << "const s = `t`; let n = 3.5" << "js" << 0 << 10 << -1 << 23 << 6;
        QTest::newRow("rust") << "fn main() { let v = \"s\"; }" << "rust" << 0 << 20 << -1 << -1 << 3;
        QTest::newRow("go") << "func f() int { return 7 }" << "go" << 0 << -1 << -1 << 22 << 5;
        QTest::newRow("java") << "public class A { String s = \"x\"; }" << "java" << 0 << 28 << -1 << -1 << 13;
        QTest::newRow("shell") << "if [ -f x ]; then echo \"$#\"; fi # done" << "bash" << 0 << 23 << 32 << -1 << 5;
        QTest::newRow("json") << "{\"a\": true, \"b\": 12}" << "json" << 6 << 1 << -1 << 17 << 0;
        QTest::newRow("sql") << "SELECT id FROM t -- all" << "sql" << 0 << -1 << 17 << -1 << 7;
    }
    void colorsTokens() {
        QFETCH(QString, code);
        QFETCH(QString, language);
        QFETCH(int, keyword);
        QFETCH(int, string);
        QFETCH(int, comment);
        QFETCH(int, number);
        QFETCH(int, plain);
        QTextDocument doc(code);
        SyntaxHighlighter h(&doc, language, false);
        h.rehighlight();
        const QTextBlock b = doc.firstBlock();
        const QColor kw = QColor("#7c3aed"), str = QColor("#15803d"), com = QColor("#6b7280"), num = QColor("#b45309");
        if (keyword >= 0) QCOMPARE(colorAt(b, keyword), kw);
        if (string >= 0) QCOMPARE(colorAt(b, string), str);
        if (comment >= 0) QCOMPARE(colorAt(b, comment), com);
        if (number >= 0) QCOMPARE(colorAt(b, number), num);
        QVERIFY2(!colorAt(b, plain).isValid(), qPrintable(QString("position %1 was colored").arg(plain)));
    }

    void blockCommentsSpanLinesAndUnknownStaysPlain() {
        QTextDocument doc("a /* one\ntwo\nthree */ int b;");
        SyntaxHighlighter h(&doc, "c", false);
        h.rehighlight();
        const QColor com("#6b7280");
        QTextBlock b1 = doc.firstBlock(), b2 = b1.next(), b3 = b2.next();
        QVERIFY(!colorAt(b1, 0).isValid());
        QCOMPARE(colorAt(b1, 3), com);
        QCOMPARE(colorAt(b2, 1), com);
        QCOMPARE(colorAt(b3, 2), com);
        QCOMPARE(colorAt(b3, 9), QColor("#7c3aed"));  // "int" after the comment ends

        QTextDocument plain("int x = 1; // c");
        SyntaxHighlighter none(&plain, "nonsense", false);
        none.rehighlight();
        QVERIFY(plain.firstBlock().layout()->formats().isEmpty());
    }
};

QTEST_MAIN(TstAppMarkdown)
#include "tst_app_markdown.moc"
