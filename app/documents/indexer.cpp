#include "indexer.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include "doc_embedder.h"
#include "extractor.h"

namespace facet::docs {

namespace {

// Depth-first walk; `seenDirs` holds canonical folders so a link back up the
// tree (or two links to one folder) is entered once.
void walk(const QString& dir, QSet<QString>& seenDirs, QSet<QString>& seenFiles, FileList& out) {
    const QFileInfoList entries =
        QDir(dir).entryInfoList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::System, QDir::Name);
    for (const QFileInfo& e : entries) {
        if (e.fileName().startsWith(QLatin1Char('.'))) continue;
        const QString canonical = e.canonicalFilePath();
        if (canonical.isEmpty()) {  // dangling symlink
            if (e.isSymLink()) out.brokenLinks << e.absoluteFilePath();
            continue;
        }
        if (e.isDir()) {
            if (!seenDirs.contains(canonical)) {
                seenDirs.insert(canonical);
                out.folders << canonical;
                walk(canonical, seenDirs, seenFiles, out);
            }
        } else if (e.isFile() && formatForPath(canonical) && !seenFiles.contains(canonical)) {
            seenFiles.insert(canonical);
            out.files << canonical;
        }
    }
}

Result<QString> sha256Of(const QString& path) {
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) return errorf("unreadable: %s", qPrintable(f.errorString()));
    QCryptographicHash h(QCryptographicHash::Sha256);
    if (!h.addData(&f)) return makeError("unreadable: read error");
    return QString::fromLatin1(h.result().toHex());
}

int lastPage(const DocBlocks& blocks) {
    int pages = 0;
    for (const DocBlock& b : blocks) pages = std::max(pages, b.page);
    return pages;
}

}  // namespace

Result<FileList> collectFiles(const QStringList& roots) {
    FileList out;
    QSet<QString> seenDirs, seenFiles;
    for (const QString& root : roots) {
        const QFileInfo info(root);
        const QString canonical = info.canonicalFilePath();
        if (canonical.isEmpty()) return errorf("%s: no such file or folder", qPrintable(root));
        if (info.isDir()) {
            if (!seenDirs.contains(canonical)) {
                seenDirs.insert(canonical);
                out.folders << canonical;
                walk(canonical, seenDirs, seenFiles, out);
            }
        } else if (!seenFiles.contains(canonical)) {
            seenFiles.insert(canonical);
            out.files << canonical;
        }
    }
    return out;
}

Result<IndexReport> Indexer::add(const QStringList& roots, const std::function<void(const IndexProgress&)>& progress) {
    FACET_ASSIGN(const FileList list, collectFiles(roots));
    IndexReport report;
    // Vanished files leave the index first, so a moved folder never shows twice.
    for (const QString& known : index_.knownPaths()) {
        if (QFileInfo::exists(known)) continue;
        FACET_TRY(index_.removePath(known));
        ++report.removed;
    }
    for (const QString& link : list.brokenLinks) {
        FACET_TRY(index_.markSkipped(link, QStringLiteral("unreadable: broken symbolic link"), 0, 0));
        ++report.skipped;
    }
    // Recorded up front: a run killed half-way leaves these for status to show and the next add to finish.
    FACET_TRY(index_.addPending(list.files));
    report.files = int(list.files.size());
    if (options_.embedder) {
        FACET_TRY(index_.dropEmbeddingsExcept(options_.embedder->modelId()));
        FACET_TRY(index_.setMeta(QStringLiteral("embed_model_id"), options_.embedder->modelId()));
    }
    IndexProgress p;
    p.filesTotal = report.files;
    QElapsedTimer embedTime;  // rate shown in progress only; nothing depends on it
    for (const QString& path : list.files) {
        if (options_.keepGoing && !options_.keepGoing()) {
            report.stopped = true;
            break;
        }
        p.currentFile = path;
        if (progress) progress(p);
        FACET_ASSIGN(const Outcome outcome, indexFile(path, report.chunksAdded));
        switch (outcome) {
        case Outcome::Indexed: ++report.indexed; break;
        case Outcome::Unchanged: ++report.unchanged; break;
        case Outcome::Skipped: ++report.skipped; break;
        }
        if (options_.embedder && outcome != Outcome::Skipped) {
            // Also catches chunks a killed run committed without vectors.
            if (!embedTime.isValid()) embedTime.start();
            FACET_ASSIGN(const qint64 n, embedMissing(path));
            report.embedded += n;
            if (embedTime.elapsed() > 0) p.embeddingsPerSecond = double(report.embedded) * 1000.0 / double(embedTime.elapsed());
        }
        ++p.filesDone;
        p.chunksAdded = report.chunksAdded;
        if (progress) progress(p);
    }
    return report;
}

// Err only for index failures (the run stops); a bad file is an Outcome.
Result<Indexer::Outcome> Indexer::indexFile(const QString& path, qint64& chunksAdded) {
    const QFileInfo info(path);
    StoredDocument facts{0, info.size(), info.lastModified().toMSecsSinceEpoch(), {}};
    auto skip = [&](const std::string& reason) -> Result<Outcome> {
        FACET_TRY(index_.markSkipped(path, QString::fromStdString(reason), facts.size, facts.mtime));
        return Outcome::Skipped;
    };
    if (facts.size > options_.limits.maxFileBytes)
        return skip("too large: " + std::to_string(facts.size) + " bytes (limit " +
                    std::to_string(options_.limits.maxFileBytes) + ")");
    const std::optional<StoredDocument> stored = index_.document(path);
    if (stored && stored->size == facts.size && stored->mtime == facts.mtime) {
        FACET_TRY(index_.touchDocument(path, facts));  // clears a pending mark left by a killed run
        return Outcome::Unchanged;
    }
    auto hash = sha256Of(path);
    if (!hash.ok()) return skip(hash.message());
    facts.contentHash = hash.value();
    if (stored && stored->contentHash == facts.contentHash) {
        FACET_TRY(index_.touchDocument(path, facts));
        return Outcome::Unchanged;
    }
    auto blocks = extractDocument(path, options_.limits);
    if (!blocks.ok()) return skip(blocks.message());
    const std::vector<Chunk> chunks = chunkBlocks(blocks.value(), options_.chunking, options_.countTokens);
    if (chunks.empty()) return skip("no text: the file holds no text to index");
    FACET_ASSIGN(const ReplaceStats stats, index_.replaceDocument(path, facts, lastPage(blocks.value()), chunks));
    chunksAdded += stats.added;
    return Outcome::Indexed;
}

Result<qint64> Indexer::embedMissing(const QString& path) {
    FACET_ASSIGN(const auto todo, index_.chunksWithoutEmbedding(path, options_.embedder->modelId()));
    if (todo.empty()) return qint64(0);
    std::vector<QString> texts;
    for (const auto& c : todo) texts.push_back(c.text);
    FACET_ASSIGN(auto vectors, options_.embedder->embedChunks(QFileInfo(path).completeBaseName(), texts));
    std::vector<std::pair<qint64, std::vector<float>>> rows;
    for (size_t i = 0; i < todo.size(); ++i) rows.push_back({todo[i].id, std::move(vectors[i])});
    FACET_TRY(index_.storeEmbeddings(options_.embedder->modelId(), rows));
    return qint64(rows.size());
}

}  // namespace facet::docs
