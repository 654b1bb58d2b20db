// One model's embeddings held in RAM for the dense scan: a contiguous
// row-major int8 matrix (n × dims) with each row's scale and chunk id
// alongside (documents-qa.md §6.5: 100k × 768 int8 = 77 MB). Reading every
// blob from SQLite per query cost ~38 ms at 50k chunks; the matrix is loaded
// once and reloaded only when the index has changed since.
#pragma once

#include <QSqlDatabase>
#include <QString>

#include <cstdint>
#include <utility>
#include <vector>

#include "core/result.h"

namespace facet::docs {

class VectorStore {
public:
    // Loads `modelId`'s vectors of `dims` dimensions from `db` unless the
    // matrix already holds them and the database has not changed since.
    // Change = PRAGMA data_version (another connection committed) or
    // total_changes() (this connection wrote a row): any write reloads, also
    // one to another table — cheap to check, never stale.
    Status refresh(QSqlDatabase& db, const QString& modelId, int dims);
    // Forgets the matrix: the next refresh reloads whatever the stamp says.
    void invalidate() { loaded_ = false; }

    // The k best rows by dot product with `query` (quantized to int8, as
    // stored), best first; equal scores by ascending chunk id. `threads` 1 or
    // 2 (two halves); 0 picks two for matrices of 8 MiB and more: at 100k × 768
    // on 2 cores two threads took 2.2 ms instead of 4.0 with the second core
    // idle (as when a search precedes generation); with both cores busy they
    // were no faster, at worst slower (p50 8.8 vs 6.5 ms at load average 3.3).
    std::vector<std::pair<qint64, double>> topK(const std::vector<float>& query, int k, int threads = 0) const;

    size_t size() const { return ids_.size(); }
    int dims() const { return dims_; }
    const QString& modelId() const { return modelId_; }
    int loads() const { return loads_; }  // how many times rows were read from SQLite

private:
    struct Stamp {
        qint64 dataVersion = -1;
        qint64 totalChanges = -1;
        bool operator==(const Stamp&) const = default;
    };
    static Result<Stamp> stampOf(QSqlDatabase& db);
    Status load(QSqlDatabase& db, const QString& modelId, int dims);

    std::vector<int8_t> codes_;  // row r at codes_[r * dims_]
    std::vector<float> scales_;
    std::vector<qint64> ids_;
    QString modelId_;
    int dims_ = 0;
    Stamp stamp_;
    bool loaded_ = false;
    int loads_ = 0;
};

}  // namespace facet::docs
