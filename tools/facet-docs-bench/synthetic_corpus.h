// Synthetic documents for the speed modes: text whose word frequencies follow
// Zipf's law like natural language (a few very common words, a long tail of
// rare ones), random unit vectors standing in for embeddings, and text PDFs
// drawn with QPdfWriter. Seeded: every run measures the same corpus.
#pragma once

#include <QString>
#include <QStringList>

#include <random>
#include <vector>

#include "core/result.h"
#include "doc_index.h"

namespace facet::docsbench {

class SyntheticText {
public:
    explicit SyntheticText(uint64_t seed, int vocabulary = 30000);

    QString word(int rank) const { return words_[size_t(rank)]; }
    int vocabulary() const { return int(words_.size()); }
    // `n` words drawn by frequency, in sentences of 6 to 20 words.
    QString text(int n);
    // A search a person might type: `terms` content words from the middle of
    // the frequency range (ranks 100 to 5000), not the stop words.
    QString query(int terms);
    std::mt19937_64& rng() { return rng_; }

private:
    int drawRank();
    std::vector<QString> words_;
    std::vector<double> cdf_;
    std::mt19937_64 rng_;
};

std::vector<float> randomUnitVector(std::mt19937_64& rng, int dims);

struct FillOptions {
    qint64 chunks = 0;
    int chunksPerDocument = 100;
    int minWords = 120, maxWords = 220;  // ~300 Gemma tokens, the chunker's target
    int dims = 0;                        // 0 = no vectors
    QString modelId;
    QString pathPrefix = QStringLiteral("/synthetic/doc");
};
// Adds documents of synthetic chunks (and vectors) through DocIndex, one
// transaction per document as the indexer does.
Status fillIndex(docs::DocIndex& index, SyntheticText& text, const FillOptions& options);

// `pages` pages of `lines` lines of about 90 characters each.
QStringList syntheticPages(SyntheticText& text, int pages, int lines);

// One page per entry, each line of a page drawn on its own line (needs a QGuiApplication).
bool writeTextPdf(const QString& path, const QStringList& pages);

}  // namespace facet::docsbench
