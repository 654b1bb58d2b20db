#include "folder_watcher.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

#include "indexer.h"

namespace facet::docs {

FolderWatcher::FolderWatcher(WatchOptions options, QObject* parent)
    : QObject(parent), options_(options), watcher_(this), settle_(this), rescan_(this) {
    settle_.setSingleShot(true);
    settle_.setInterval(options_.settleMs);
    connect(&settle_, &QTimer::timeout, this, [this] {
        rewatch();  // a new subfolder needs a watch of its own
        emit changed();
    });
    connect(&watcher_, &QFileSystemWatcher::directoryChanged, this, &FolderWatcher::onEvent);
    connect(&watcher_, &QFileSystemWatcher::fileChanged, this, &FolderWatcher::onEvent);
    if (options_.rescanMs > 0) {
        rescan_.setInterval(options_.rescanMs);
        connect(&rescan_, &QTimer::timeout, this, &FolderWatcher::changed);
    }
}

void FolderWatcher::setRoots(const QStringList& roots) {
    roots_ = roots;
    rewatch();
    if (options_.rescanMs > 0) {
        if (roots_.isEmpty()) rescan_.stop();
        else rescan_.start();
    }
}

int FolderWatcher::watchCount() const {
    return int(watcher_.directories().size() + watcher_.files().size());
}

void FolderWatcher::onEvent() { settle_.start(); }  // restarts: a burst becomes one signal

void FolderWatcher::rewatch() {
    QStringList folders, files;
    for (const QString& root : roots_) {
        // A missing root is watched through its parent, so it is seen when it comes back.
        const QFileInfo info(root);
        if (!info.exists()) {
            if (info.dir().exists()) folders << info.dir().absolutePath();
            continue;
        }
        auto list = collectFiles({root});
        if (!list.ok()) continue;
        if (info.isDir()) folders << info.canonicalFilePath();
        else folders << info.dir().canonicalPath();  // catches a save by rename
        folders << list->folders;
        files << list->files;
    }
    folders.removeDuplicates();
    files.removeDuplicates();
    QStringList wanted = folders.mid(0, options_.maxWatches);
    const int room = options_.maxWatches - int(wanted.size());
    if (room > 0) wanted << files.mid(0, room);
    const QSet<QString> want(wanted.begin(), wanted.end());

    QStringList drop;
    for (const QString& p : watcher_.directories() + watcher_.files())
        if (!want.contains(p)) drop << p;
    if (!drop.isEmpty()) watcher_.removePaths(drop);
    const QStringList have = watcher_.directories() + watcher_.files();
    const QSet<QString> haveSet(have.begin(), have.end());
    QStringList add;
    for (const QString& p : wanted)
        if (!haveSet.contains(p)) add << p;
    if (!add.isEmpty()) watcher_.addPaths(add);  // paths it cannot watch are left to the rescan
}

}  // namespace facet::docs
