// Tells when a collection's folders and files may have changed: Qt's
// QFileSystemWatcher on every folder of the tree and on every file (inotify
// reports a file written in place only on the file itself), up to a cap, plus
// a periodic rescan for what a watch can miss (network shares, a full
// inotify table, more files than the cap). Bursts settle into one signal.
// Lives on the indexing thread: walking a large tree never blocks the UI.
#pragma once

#include <QFileSystemWatcher>
#include <QObject>
#include <QStringList>
#include <QTimer>

namespace facet::docs {

struct WatchOptions {
    int settleMs = 1500;               // quiet time after the last event before `changed`
    int rescanMs = 10 * 60 * 1000;     // periodic rescan; 0 = none
    int maxWatches = 8000;             // folders first, then files; inotify's table is per user
};

class FolderWatcher : public QObject {
    Q_OBJECT
public:
    explicit FolderWatcher(WatchOptions options = {}, QObject* parent = nullptr);

    // Folders and single files to watch; walks them now (and on every change).
    void setRoots(const QStringList& roots);
    QStringList roots() const { return roots_; }
    int watchCount() const;

signals:
    // Something under the roots changed (settled), or the periodic rescan is due.
    void changed();

private:
    void rewatch();
    void onEvent();

    WatchOptions options_;
    QStringList roots_;
    QFileSystemWatcher watcher_;
    QTimer settle_, rescan_;
};

}  // namespace facet::docs
