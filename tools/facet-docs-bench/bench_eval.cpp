// `eval`: keyword retrieval quality on the Debian Reference (debian-reference-en),
// indexed three times — HTML chapters, the PDF, the gunzipped text — each into
// its own index. Project-written questions (eval/debian_reference_questions.json)
// each name a gold section; eval_sections.h decides which section a hit is in.
// Semantic and hybrid need real embedding weights, which the project does not
// ship: they are reported as unmeasured.
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>

#include <cstdio>
#include <zlib.h>

#include "bench_common.h"
#include "doc_search.h"
#include "eval_sections.h"
#include "indexer.h"

namespace facet::docsbench {

namespace {

struct Question {
    QString text;
    QString gold;
};

Result<std::vector<Question>> readQuestions(const QString& path, const SectionTitles& titles) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return errorf("%s: %s", qPrintable(path), qPrintable(f.errorString()));
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &e);
    if (!doc.isArray()) return errorf("%s: not a JSON array (%s)", qPrintable(path), qPrintable(e.errorString()));
    std::vector<Question> out;
    for (const QJsonValue& v : doc.array()) {
        const QJsonObject o = v.toObject();
        Question q{o.value("question").toString(), o.value("gold_section").toString()};
        if (q.text.isEmpty()) return errorf("%s: entry %zu has no question", qPrintable(path), out.size());
        if (!titles.contains(q.gold))
            return errorf("%s: \"%s\": gold section '%s' is not a section of the book", qPrintable(path),
                          qPrintable(q.text), qPrintable(q.gold));
        out.push_back(q);
    }
    return out;
}

Status gunzip(const QString& from, const QString& to) {
    gzFile in = gzopen(QFile::encodeName(from).constData(), "rb");
    if (!in) return errorf("%s: cannot open", qPrintable(from));
    QFile out(to);
    if (!out.open(QIODevice::WriteOnly)) {
        gzclose(in);
        return errorf("%s: %s", qPrintable(to), qPrintable(out.errorString()));
    }
    char buf[1 << 16];
    int n = 0;
    while ((n = gzread(in, buf, sizeof buf)) > 0) out.write(buf, n);
    gzclose(in);
    return n < 0 ? errorf("%s: corrupt gzip data", qPrintable(from)) : Status{};
}

struct Format {
    const char* name;
    QStringList files;
    std::unique_ptr<docs::DocIndex> index;
    ChunkSections sections;
    double indexSeconds = 0;
    // Per question: 1-based rank of the first relevant hit (0 = none in the top k), the top hit's sections.
    std::vector<int> firstRelevant;
    std::vector<QStringList> topSections;
};

bool intersects(const QStringList& a, const QStringList& b) {
    for (const QString& s : a)
        if (b.contains(s)) return true;
    return false;
}

}  // namespace

int benchEval(const Args& args) {
    std::string error;
    const int k = int(args.getInt("--k", 10, 10, 100, error));
    if (!error.empty()) return fail(QString::fromStdString(error));
    const QDir corpus(QString::fromStdString(args.get("--corpus", "/usr/share/debian-reference")));
    const QString questionsPath =
        QString::fromStdString(args.get("--questions", FACET_DOCS_EVAL_DIR "/debian_reference_questions.json"));
    const bool verbose = args.has("--verbose");

    QStringList chapters;
    for (const QString& name : corpus.entryList({QStringLiteral("ch*.en.html")}, QDir::Files, QDir::Name))
        chapters << corpus.filePath(name);
    if (chapters.isEmpty())
        return fail(corpus.path() + QStringLiteral(": no ch*.en.html (apt-get install debian-reference-en)"));
    auto titles = readSectionTitles(chapters);
    if (!titles.ok()) return fail(QString::fromStdString(titles.message()));
    auto questions = readQuestions(questionsPath, titles.value());
    if (!questions.ok()) return fail(QString::fromStdString(questions.message()));

    QTemporaryDir temp;
    // --keep DIR leaves the three indexes there to inspect (DIR must not hold old ones).
    const QDir dir(args.has("--keep") ? QString::fromStdString(args.get("--keep", "")) : temp.path());
    if (!temp.isValid() || !dir.exists()) return fail(dir.path() + QStringLiteral(": no such folder"));
    const QString text = dir.filePath(QStringLiteral("debian-reference.en.txt"));
    if (Status s = gunzip(corpus.filePath(QStringLiteral("debian-reference.en.txt.gz")), text); !s.ok())
        return fail(QString::fromStdString(s.message()));
    Format formats[] = {{"HTML", chapters, {}, {}, 0, {}, {}},
                        {"PDF", {corpus.filePath(QStringLiteral("debian-reference.en.pdf"))}, {}, {}, 0, {}, {}},
                        {"text", {text}, {}, {}, 0, {}, {}}};
    for (Format& f : formats) {
        auto opened = docs::DocIndex::open(dir.filePath(QStringLiteral("%1.sqlite").arg(QLatin1String(f.name))));
        if (!opened.ok()) return fail(QString::fromStdString(opened.message()));
        f.index = std::move(opened.value());
        QElapsedTimer t;
        t.start();
        auto report = docs::Indexer(*f.index, docs::IndexerOptions{}).add(f.files);
        if (!report.ok()) return fail(QString::fromStdString(report.message()));
        if (report->skipped > 0) return fail(QStringLiteral("%1: %2 files skipped").arg(f.name).arg(report->skipped));
        f.indexSeconds = elapsedMs(t) / 1000;
        auto mapped = mapChunkSections(*f.index, titles.value());
        if (!mapped.ok()) return fail(QString::fromStdString(mapped.message()));
        f.sections = std::move(mapped.value());
        for (const Question& q : questions.value()) {
            auto hits = docs::searchDocuments(*f.index, q.text, k, docs::SearchMode::Keyword, nullptr);
            if (!hits.ok()) return fail(QString::fromStdString(hits.message()));
            int rank = 0;
            for (size_t i = 0; i < hits->size() && rank == 0; ++i)
                if (isRelevant(f.sections.byChunk.value((*hits)[i].chunkId), q.gold)) rank = int(i) + 1;
            f.firstRelevant.push_back(rank);
            f.topSections.push_back(hits->empty() ? QStringList() : f.sections.byChunk.value(hits->front().chunkId));
        }
    }

    const size_t n = questions->size();
    std::printf("debian-reference-en, %zu questions (%s), keyword search (FTS5 BM25), k = %d\n", n,
                qPrintable(QFileInfo(questionsPath).fileName()), k);
    std::printf("%-6s %7s %9s %10s %10s %10s %10s\n", "format", "chunks", "no sect.", "Recall@5", "Recall@10", "MRR@10",
                "index s");
    for (const Format& f : formats) {
        int at5 = 0, at10 = 0;
        double mrr = 0;
        for (int r : f.firstRelevant) {
            at5 += r > 0 && r <= 5;
            at10 += r > 0 && r <= 10;
            mrr += r > 0 && r <= 10 ? 1.0 / r : 0.0;
        }
        std::printf("%-6s %7lld %9lld %10.3f %10.3f %10.3f %10.1f\n", f.name, (long long)f.sections.chunks,
                    (long long)f.sections.withoutSection, double(at5) / n, double(at10) / n, mrr / n, f.indexSeconds);
    }
    std::printf("semantic, hybrid: unmeasured (needs real EmbeddingGemma weights; none ship with the project)\n");

    // Same top hit = the three top hits share a section.
    int agreeAll = 0, htmlPdf = 0, htmlText = 0, pdfText = 0;
    for (size_t i = 0; i < n; ++i) {
        const QStringList &h = formats[0].topSections[i], &p = formats[1].topSections[i], &t = formats[2].topSections[i];
        htmlPdf += intersects(h, p);
        htmlText += intersects(h, t);
        pdfText += intersects(p, t);
        bool all = false;
        for (const QString& s : h) all = all || (p.contains(s) && t.contains(s));
        agreeAll += all;
    }
    std::printf("top hit in the same section: all three %.3f, HTML=PDF %.3f, HTML=text %.3f, PDF=text %.3f\n",
                double(agreeAll) / n, double(htmlPdf) / n, double(htmlText) / n, double(pdfText) / n);
    if (verbose) {
        std::printf("\nrank of the first relevant hit (0 = not in top %d) and top hit's sections: HTML | PDF | text\n", k);
        for (size_t i = 0; i < n; ++i)
            std::printf("%-8s %2d %2d %2d  [%s | %s | %s]  %s\n", qPrintable(questions.value()[i].gold),
                        formats[0].firstRelevant[i], formats[1].firstRelevant[i], formats[2].firstRelevant[i],
                        qPrintable(formats[0].topSections[i].join(',')), qPrintable(formats[1].topSections[i].join(',')),
                        qPrintable(formats[2].topSections[i].join(',')), qPrintable(questions.value()[i].text));
    }
    return 0;
}

}  // namespace facet::docsbench
