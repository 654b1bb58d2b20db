#include "synthetic_corpus.h"

#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "chunker.h"

namespace facet::docsbench {

namespace {

// The most frequent English words take the top ranks, as in real prose.
const char* const kStopWords[] = {
    "the", "of", "and", "to", "a", "in", "is", "it", "you", "that", "he", "was", "for", "on", "are", "with", "as", "be",
    "this", "at", "by", "or", "from", "but", "not", "have", "an", "they", "which", "can", "if", "all", "your", "when",
    "there", "use", "each", "how", "so", "these", "some", "their", "will", "other", "into", "more", "than", "then",
    "may", "only", "its", "also", "such", "any", "new", "used", "file", "system", "set", "one"};

const char* const kSyllables[] = {"ka", "lo", "mi", "ter", "an", "sul", "ve", "dor", "pi", "ra", "sen", "tu", "bel",
                                  "cor", "fa", "gin", "ho", "jun", "ke", "lan", "mo", "nex", "ot", "pra", "qui", "ros",
                                  "sta", "tri", "ux", "vin", "wel", "xan", "yor", "zet", "ar", "est", "il", "or", "um",
                                  "ex", "in", "al", "con", "de", "pro"};

}  // namespace

SyntheticText::SyntheticText(uint64_t seed, int vocabulary) : rng_(seed) {
    QSet<QString> seen;
    for (const char* w : kStopWords) {
        words_.push_back(QString::fromLatin1(w));
        seen.insert(words_.back());
    }
    std::mt19937_64 shape(seed ^ 0x5eedULL);
    while (int(words_.size()) < vocabulary) {
        QString w;
        const int n = 2 + int(shape() % 3);
        for (int i = 0; i < n; ++i) w += QLatin1String(kSyllables[shape() % std::size(kSyllables)]);
        if (!seen.contains(w)) {
            seen.insert(w);
            words_.push_back(w);
        }
    }
    // Zipf–Mandelbrot: p(r) ∝ 1 / (r + 2.7), close to English word counts.
    cdf_.resize(words_.size());
    double sum = 0;
    for (size_t r = 0; r < words_.size(); ++r) cdf_[r] = (sum += 1.0 / (double(r) + 2.7));
    for (double& c : cdf_) c /= sum;
}

int SyntheticText::drawRank() {
    const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
    return int(std::min(size_t(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin()), cdf_.size() - 1));
}

QString SyntheticText::text(int n) {
    QString out;
    out.reserve(n * 7);
    int sentence = 0, length = 6 + int(rng_() % 15);
    for (int i = 0; i < n; ++i) {
        QString w = words_[size_t(drawRank())];
        if (sentence == 0) w[0] = w[0].toUpper();
        out += w;
        if (++sentence == length || i + 1 == n) {
            out += QLatin1String(". ");
            sentence = 0;
            length = 6 + int(rng_() % 15);
        } else {
            out += QLatin1Char(' ');
        }
    }
    return out.trimmed();
}

QString SyntheticText::query(int terms) {
    QStringList out;
    const int hi = std::min(5000, vocabulary());
    while (out.size() < terms) {
        // Log-uniform over the band: as many queries on rarer as on commoner words.
        const double x = std::uniform_real_distribution<double>(std::log(100.0), std::log(double(hi)))(rng_);
        const QString w = words_[size_t(std::exp(x))];
        if (!out.contains(w)) out << w;
    }
    return out.join(QLatin1Char(' '));
}

std::vector<float> randomUnitVector(std::mt19937_64& rng, int dims) {
    std::normal_distribution<float> normal;
    std::vector<float> v(static_cast<size_t>(dims));
    double n = 0;
    for (float& x : v) {
        x = normal(rng);
        n += double(x) * x;
    }
    const float inv = float(1.0 / std::sqrt(n));
    for (float& x : v) x *= inv;
    return v;
}

Status fillIndex(docs::DocIndex& index, SyntheticText& text, const FillOptions& o) {
    const qint64 documents = (o.chunks + o.chunksPerDocument - 1) / o.chunksPerDocument;
    qint64 made = 0;
    for (qint64 d = 0; d < documents; ++d) {
        std::vector<docs::Chunk> chunks;
        for (int c = 0; c < o.chunksPerDocument && made < o.chunks; ++c, ++made) {
            const int words = o.minWords + int(text.rng()() % unsigned(o.maxWords - o.minWords + 1));
            docs::Chunk chunk;
            chunk.text = text.text(words);
            chunk.section = QStringLiteral("Part %1 > Section %2").arg(d).arg(c / 10);
            chunk.tokens = docs::estimateTokens(chunk.text);
            chunks.push_back(std::move(chunk));
        }
        const QString path = o.pathPrefix + QString::number(d) + QStringLiteral(".txt");
        auto stats = index.replaceDocument(path, docs::StoredDocument{0, 1, 1, path}, 0, chunks);
        if (!stats.ok()) return stats.error();
        if (o.dims > 0) {
            FACET_ASSIGN(const auto missing, index.chunksWithoutEmbedding(path, o.modelId));
            std::vector<std::pair<qint64, std::vector<float>>> rows;
            for (const auto& c : missing) rows.push_back({c.id, randomUnitVector(text.rng(), o.dims)});
            FACET_TRY(index.storeEmbeddings(o.modelId, rows));
        }
        if (documents >= 10 && (d + 1) % (documents / 10) == 0)
            std::fprintf(stderr, "  filled %lld of %lld chunks\n", (long long)made, (long long)o.chunks);
    }
    return {};
}

QStringList syntheticPages(SyntheticText& text, int pages, int lines) {
    QStringList out;
    for (int p = 0; p < pages; ++p) {
        QStringList page;
        QString line;
        for (const QString& w : text.text(lines * 14).split(QLatin1Char(' '))) {
            if (line.size() + w.size() > 90) {
                page << line;
                line.clear();
                if (page.size() == lines) break;
            }
            line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + w;
        }
        if (page.size() < lines && !line.isEmpty()) page << line;
        out << page.join(QLatin1Char('\n'));
    }
    return out;
}

bool writeTextPdf(const QString& path, const QStringList& pages) {
    QPdfWriter writer(path);
    writer.setPageSize(QPageSize(QPageSize::A4));
    writer.setResolution(72);
    QPainter p;
    if (!p.begin(&writer)) return false;
    QFont font(QStringLiteral("DejaVu Sans"));
    font.setPointSize(9);
    p.setFont(font);
    for (int i = 0; i < pages.size(); ++i) {
        if (i > 0) writer.newPage();
        int y = 50;
        for (const QString& line : pages[i].split(QLatin1Char('\n'))) {
            p.drawText(40, y, line);
            y += 12;
        }
    }
    return p.end();
}

}  // namespace facet::docsbench
