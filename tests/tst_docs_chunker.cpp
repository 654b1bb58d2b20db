// Chunking: target size, ~15 % overlap where a section is split by size, a
// fresh chunk at each heading and PDF page, and the facts each chunk carries.
#include <QtTest>

#include "chunker.h"

using namespace facet::docs;

namespace {

// One token per word: makes sizes exact and easy to reason about.
int words(const QString& s) { return int(s.split(QLatin1Char(' '), Qt::SkipEmptyParts).size()); }

// `n` sentences of five words: "sK w w w end."
QString sentences(int n, const QString& tag) {
    QStringList out;
    for (int i = 0; i < n; ++i) out << QStringLiteral("%1%2 alpha beta gamma end.").arg(tag).arg(i);
    return out.join(QLatin1Char(' '));
}

}  // namespace

class TstDocsChunker : public QObject {
    Q_OBJECT
private slots:
    void estimateIsFourCharactersPerToken() {
        QCOMPARE(estimateTokens(QString()), 0);
        QCOMPARE(estimateTokens(QStringLiteral("abcd")), 1);
        QCOMPARE(estimateTokens(QStringLiteral("abcde")), 2);
    }

    void splitsLongSectionsWithOverlap() {
        // 200 sentences × 5 tokens = 1000 tokens in one paragraph.
        const DocBlocks blocks = {{sentences(200, "s"), BlockKind::Paragraph, {"Intro"}, 0, {}}};
        ChunkOptions options;  // 300 target, 45 overlap
        const auto chunks = chunkBlocks(blocks, options, words);
        QVERIFY(chunks.size() >= 4);
        for (size_t i = 0; i < chunks.size(); ++i) {
            QVERIFY2(chunks[i].tokens <= options.targetTokens, qPrintable(QString::number(chunks[i].tokens)));
            QCOMPARE(chunks[i].section, QStringLiteral("Intro"));
            if (i + 1 < chunks.size()) {
                QVERIFY(chunks[i].tokens >= options.targetTokens - 5);  // full up to the last sentence that fits
                // The next chunk starts with the previous chunk's last sentences (40-45 tokens: 8-9 sentences).
                const QStringList next = chunks[i + 1].text.split(QStringLiteral(". "));
                const QString firstOfNext = next.front();
                QVERIFY2(chunks[i].text.contains(firstOfNext), qPrintable(firstOfNext));
                const int overlapStart = int(chunks[i].text.indexOf(firstOfNext));
                const int overlapTokens = words(chunks[i].text.mid(overlapStart));
                QVERIFY2(overlapTokens >= 40 && overlapTokens <= 45, qPrintable(QString::number(overlapTokens)));
            }
        }
        // Every sentence is somewhere.
        QString all;
        for (const Chunk& c : chunks) all += c.text + QLatin1Char(' ');
        for (int i = 0; i < 200; i += 17) QVERIFY(all.contains(QStringLiteral("s%1 alpha").arg(i)));
    }

    void neverCrossesPdfPages() {
        DocBlocks blocks;
        for (int p = 1; p <= 3; ++p)
            blocks.push_back({sentences(4, QStringLiteral("p%1x").arg(p)), BlockKind::Paragraph, {}, p, QString::number(p + 10)});
        const auto chunks = chunkBlocks(blocks, ChunkOptions{}, words);
        QCOMPARE(int(chunks.size()), 3);  // small pages, yet one chunk each
        for (int p = 1; p <= 3; ++p) {
            QCOMPARE(chunks[p - 1].page, p);
            QCOMPARE(chunks[p - 1].pageLabel, QString::number(p + 10));
            QVERIFY(chunks[p - 1].text.startsWith(QStringLiteral("p%1x0").arg(p)));  // no overlap from the page before
        }
    }

    void headingStartsAChunk() {
        const DocBlocks blocks = {
            {"One", BlockKind::Heading, {"One"}, 0, {}},
            {"first body.", BlockKind::Paragraph, {"One"}, 0, {}},
            {"Two", BlockKind::Heading, {"One", "Two"}, 0, {}},
            {"second body.", BlockKind::Paragraph, {"One", "Two"}, 0, {}},
        };
        const auto chunks = chunkBlocks(blocks, ChunkOptions{}, words);
        QCOMPARE(int(chunks.size()), 2);
        QCOMPARE(chunks[0].text, QStringLiteral("One\n\nfirst body."));
        QCOMPARE(chunks[1].text, QStringLiteral("Two\n\nsecond body."));
        QCOMPARE(chunks[1].section, QStringLiteral("One > Two"));
    }

    void endlessLineIsCut() {
        const DocBlocks blocks = {{QString(5000, QLatin1Char('x')), BlockKind::Paragraph, {}, 0, {}}};
        const auto chunks = chunkBlocks(blocks, ChunkOptions{}, estimateTokens);
        QVERIFY(chunks.size() >= 4);
        int total = 0;
        for (const Chunk& c : chunks) {
            QVERIFY(c.tokens <= 300);
            total += int(c.text.count(QLatin1Char('x')));
        }
        QVERIFY(total >= 5000);
    }

    void emptyInputGivesNoChunks() { QVERIFY(chunkBlocks({}, ChunkOptions{}, estimateTokens).empty()); }
};

QTEST_GUILESS_MAIN(TstDocsChunker)
#include "tst_docs_chunker.moc"
