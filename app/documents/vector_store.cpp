#include "vector_store.h"

#include <QSqlError>
#include <QSqlQuery>
#include <QVariant>

#include <algorithm>
#include <thread>

#include "vector_codec.h"

namespace facet::docs {

namespace {

// Below this many matrix bytes a second thread's start-up is a large part of the scan.
constexpr size_t kSplitBytes = size_t(8) << 20;

using Scored = std::pair<qint64, double>;

bool better(const Scored& a, const Scored& b) { return a.second > b.second || (a.second == b.second && a.first < b.first); }

// Integer dot product: int16 products summed in int32, a loop GCC turns into
// pmaddwd (AVX2 vpmaddwd in the avx2 clone). |sum| <= 127² · dims: no
// overflow below 133k dimensions.
inline int32_t dotCodes(const int8_t* a, const int8_t* b, int n) {
    int32_t sum = 0;
    for (int i = 0; i < n; ++i) sum += int32_t(a[i]) * int32_t(b[i]);
    return sum;
}

// The k best of rows [begin, end) kept in a heap whose front is the worst
// kept; returned unsorted. Cloned for AVX2 so a baseline x86-64 build still
// scans at full width where the CPU has it.
__attribute__((target_clones("avx2", "default")))
std::vector<Scored> scanRows(const int8_t* codes, const float* scales, const qint64* ids, size_t begin, size_t end, int dims,
                             const int8_t* query, float queryScale, size_t k) {
    std::vector<Scored> heap;
    heap.reserve(k + 1);
    for (size_t r = begin; r < end; ++r) {
        const int32_t dot = dotCodes(query, codes + r * size_t(dims), dims);
        const Scored s{ids[r], double(float(dot) * queryScale * scales[r])};
        if (heap.size() < k) {
            heap.push_back(s);
            std::push_heap(heap.begin(), heap.end(), better);
        } else if (better(s, heap.front())) {
            std::pop_heap(heap.begin(), heap.end(), better);
            heap.back() = s;
            std::push_heap(heap.begin(), heap.end(), better);
        }
    }
    return heap;
}

}  // namespace

Result<VectorStore::Stamp> VectorStore::stampOf(QSqlDatabase& db) {
    QSqlQuery q(db);
    Stamp s;
    if (!q.exec(QStringLiteral("PRAGMA data_version")) || !q.next())
        return errorf("%s: data_version: %s", qPrintable(db.databaseName()), qPrintable(q.lastError().text()));
    s.dataVersion = q.value(0).toLongLong();
    if (!q.exec(QStringLiteral("SELECT total_changes()")) || !q.next())
        return errorf("%s: total_changes: %s", qPrintable(db.databaseName()), qPrintable(q.lastError().text()));
    s.totalChanges = q.value(0).toLongLong();
    return s;
}

Status VectorStore::refresh(QSqlDatabase& db, const QString& modelId, int dims) {
    FACET_ASSIGN(const Stamp now, stampOf(db));
    if (loaded_ && now == stamp_ && modelId == modelId_ && dims == dims_) return {};
    FACET_TRY(load(db, modelId, dims));
    stamp_ = now;  // taken before reading: a commit during the load reloads next time
    return {};
}

Status VectorStore::load(QSqlDatabase& db, const QString& modelId, int dims) {
    loaded_ = false;
    codes_.clear();
    scales_.clear();
    ids_.clear();
    modelId_ = modelId;
    dims_ = std::max(0, dims);
    // No count(*) first to reserve: it would read every blob page a second time.
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT chunk_id, scale, vec FROM embeddings WHERE model_id = ? AND dims = ? ORDER BY chunk_id"));
    q.addBindValue(modelId);
    q.addBindValue(dims_);
    if (!q.exec()) return errorf("%s: load vectors: %s", qPrintable(db.databaseName()), qPrintable(q.lastError().text()));
    while (q.next()) {
        const QByteArray blob = q.value(2).toByteArray();
        if (blob.size() != qsizetype(dims_)) continue;  // a damaged row is left out, never read past
        ids_.push_back(q.value(0).toLongLong());
        scales_.push_back(q.value(1).toFloat());
        const auto* p = reinterpret_cast<const int8_t*>(blob.constData());
        codes_.insert(codes_.end(), p, p + dims_);
    }
    loaded_ = true;
    ++loads_;
    return {};
}

std::vector<std::pair<qint64, double>> VectorStore::topK(const std::vector<float>& query, int k, int threads) const {
    if (k <= 0 || ids_.empty() || query.size() != size_t(dims_)) return {};
    const Int8Vector q8 = quantizeInt8(query);
    const auto* q = reinterpret_cast<const int8_t*>(q8.codes.constData());
    const size_t n = ids_.size(), keep = std::min(n, size_t(k));
    if (threads <= 0) threads = codes_.size() >= kSplitBytes && std::thread::hardware_concurrency() > 1 ? 2 : 1;
    std::vector<Scored> best;
    if (threads < 2 || n < 2) {
        best = scanRows(codes_.data(), scales_.data(), ids_.data(), 0, n, dims_, q, q8.scale, keep);
    } else {
        // Two halves, each keeping its own k best.
        const size_t mid = n / 2;
        std::vector<Scored> upper;
        std::thread worker([&] { upper = scanRows(codes_.data(), scales_.data(), ids_.data(), mid, n, dims_, q, q8.scale, keep); });
        best = scanRows(codes_.data(), scales_.data(), ids_.data(), 0, mid, dims_, q, q8.scale, keep);
        worker.join();
        best.insert(best.end(), upper.begin(), upper.end());
    }
    const size_t out = std::min(keep, best.size());
    std::partial_sort(best.begin(), best.begin() + out, best.end(), better);
    best.resize(out);
    return best;
}

}  // namespace facet::docs
