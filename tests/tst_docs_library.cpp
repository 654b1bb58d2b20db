// The app's document library without the window: collections kept in
// collections.json, and the indexing thread (LibraryWorker) that follows a
// watched folder — files added, changed in place, renamed, deleted, and a new
// subfolder — and pauses between files.
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <thread>

#include "collection_store.h"
#include "doc_index.h"
#include "library_worker.h"
#include "support/docs_fixtures.h"
#include "support/hang_guard.h"

using namespace facet::docs;
namespace ft = facet::test;
using ft::kHangMs;

namespace {

// Paths of the keyword hits for `word` in the index at `db`.
QStringList hitPaths(const QString& db, const QString& word) {
    auto index = DocIndex::open(db);
    if (!index.ok()) return {QStringLiteral("<open failed>")};
    auto hits = index.value()->keywordSearch(word, 10);
    QStringList out;
    if (hits.ok())
        for (const SearchHit& h : hits.value()) out << QFileInfo(h.path).fileName();
    return out;
}

qint64 statusValue(const QString& db, qint64 IndexStatus::*field) {
    auto index = DocIndex::open(db);
    if (!index.ok()) return -1;
    auto st = index.value()->status();
    return st.ok() ? st.value().*field : -1;
}

// The worker on its own thread, as the app runs it.
struct WorkerThread {
    QThread thread;
    LibraryWorker* worker;
    explicit WorkerThread(WatchOptions options) : worker(new LibraryWorker(options)) {
        worker->moveToThread(&thread);
        QObject::connect(&thread, &QThread::finished, worker, &QObject::deleteLater);
        thread.start();
    }
    ~WorkerThread() {
        worker->shutdown();
        thread.quit();
        thread.wait();
    }
    void setCollection(const QString& id, const QString& db, const QStringList& roots) {
        QMetaObject::invokeMethod(worker, [w = worker, id, db, roots] { w->setCollection(id, db, roots); });
    }
};

}  // namespace

class TstDocsLibrary : public QObject {
    Q_OBJECT

private slots:
    void collectionsPersist() {
        QTemporaryDir dir;
        const QString folder = dir.filePath("docs");
        QVERIFY(QDir().mkpath(folder + "/sub"));
        QVERIFY(ft::writeBytes(folder + "/sub/a.txt", "alpha"));
        QVERIFY(ft::writeBytes(dir.filePath("single.md"), "# One\nbody"));
        QString id;
        {
            CollectionStore store(dir.filePath("lib"));
            QVERIFY(store.load().ok());
            QVERIFY(store.collections().empty());
            QVERIFY(!store.create("   ").ok());  // a name is required
            auto created = store.create(" Papers ");
            QVERIFY(created.ok());
            id = created.value();
            QCOMPARE(store.addRoots(id, {folder + "/sub/a.txt"}).value(), 1);
            // The folder takes the place of the file inside it; a second add of it changes nothing.
            QCOMPARE(store.addRoots(id, {folder, dir.filePath("single.md")}).value(), 2);
            QCOMPARE(store.addRoots(id, {folder + "/sub"}).value(), 0);
            QVERIFY(!store.addRoots(id, {dir.filePath("missing")}).ok());
            QVERIFY(store.rename(id, "Research").ok());
            QVERIFY(store.create("Second").ok());
        }
        CollectionStore reopened(dir.filePath("lib"));
        QVERIFY(reopened.load().ok());
        QCOMPARE(int(reopened.collections().size()), 2);
        const Collection* c = reopened.find(id);
        QVERIFY(c);
        QCOMPARE(c->name, QString("Research"));
        QCOMPARE(c->roots, QStringList({folder, dir.filePath("single.md")}));
        QCOMPARE(reopened.indexPath(id), dir.filePath("lib/" + id + ".sqlite"));
        QVERIFY(reopened.removeRoot(id, folder).ok());
        QVERIFY(!reopened.removeRoot(id, folder).ok());
        QVERIFY(reopened.remove(id).ok());
        CollectionStore again(dir.filePath("lib"));
        QVERIFY(again.load().ok());
        QCOMPARE(int(again.collections().size()), 1);
        QCOMPARE(again.collections()[0].name, QString("Second"));
    }

    void corruptListIsAnErrorAndKept() {
        QTemporaryDir dir;
        QVERIFY(ft::writeBytes(dir.filePath("collections.json"), "{\"collections\": [ {\"id\": "));
        CollectionStore store(dir.path());
        const facet::Status s = store.load();
        QVERIFY(!s.ok());
        QVERIFY2(QString::fromStdString(s.message()).contains("collections.json"), s.message().c_str());
        QFile f(dir.filePath("collections.json"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(f.readAll().startsWith("{\"collections\""));  // the user's file is not overwritten
    }

    // The indexing thread and a chat's search may open a new index at the same
    // moment: the schema is made once, and every open succeeds.
    void concurrentOpensOfANewIndexAllSucceed() {
        QTemporaryDir dir;
        const QString db = dir.filePath("index.sqlite");
        std::vector<std::thread> threads;
        std::atomic<int> ok{0};
        std::vector<std::string> errors(6);
        for (int i = 0; i < 6; ++i)
            threads.emplace_back([&, i] {
                auto index = DocIndex::open(db);
                if (index.ok()) ++ok;
                else errors[i] = index.message();
            });
        for (auto& t : threads) t.join();
        for (const auto& e : errors) QVERIFY2(e.empty(), e.c_str());
        QCOMPARE(ok.load(), 6);
    }

    void watchedFolderFollowsChanges() {
        QTemporaryDir dir;
        const QString folder = QDir(dir.path()).canonicalPath() + "/watched";
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(ft::writeBytes(folder + "/a.txt", "aardvark lives here"));
        const QString db = dir.filePath("index.sqlite");
        WorkerThread w(WatchOptions{50, 0, 8000});  // short settle; no periodic rescan, so only the watch acts
        QSignalSpy finished(w.worker, &LibraryWorker::runFinished);
        w.setCollection("c1", db, {folder});
        QVERIFY(finished.wait(kHangMs));
        QCOMPARE(hitPaths(db, "aardvark"), QStringList{"a.txt"});

        // Added.
        QVERIFY(ft::writeBytes(folder + "/b.txt", "bison roams"));
        QTRY_COMPARE_WITH_TIMEOUT(hitPaths(db, "bison"), QStringList{"b.txt"}, kHangMs);
        // Changed in place (same name: only the file's own watch sees it).
        {
            QFile f(folder + "/a.txt");
            QVERIFY(f.open(QIODevice::Append));
            QVERIFY(f.write(" with a chameleon") > 0);
        }
        QTRY_COMPARE_WITH_TIMEOUT(hitPaths(db, "chameleon"), QStringList{"a.txt"}, kHangMs);
        // Renamed.
        QVERIFY(QFile::rename(folder + "/b.txt", folder + "/renamed.txt"));
        QTRY_COMPARE_WITH_TIMEOUT(hitPaths(db, "bison"), QStringList{"renamed.txt"}, kHangMs);
        // A new subfolder, and a file written into it after it was made.
        QVERIFY(QDir().mkpath(folder + "/new"));
        QTRY_VERIFY_WITH_TIMEOUT(statusValue(db, &IndexStatus::files) >= 2, kHangMs);
        QVERIFY(ft::writeBytes(folder + "/new/d.txt", "dingo"));
        QTRY_COMPARE_WITH_TIMEOUT(hitPaths(db, "dingo"), QStringList{"d.txt"}, kHangMs);
        // Deleted.
        QVERIFY(QFile::remove(folder + "/renamed.txt"));
        QTRY_COMPARE_WITH_TIMEOUT(hitPaths(db, "bison"), QStringList{}, kHangMs);
        QTRY_COMPARE_WITH_TIMEOUT(statusValue(db, &IndexStatus::indexed), qint64(2), kHangMs);  // a.txt, d.txt
    }

    void pauseHoldsBetweenFilesAndResumeFinishes() {
        QTemporaryDir dir;
        const QString folder = QDir(dir.path()).canonicalPath() + "/docs";
        QVERIFY(QDir().mkpath(folder));
        for (int i = 0; i < 3; ++i) QVERIFY(ft::writeBytes(folder + QString("/f%1.txt").arg(i), QByteArray("emu ") + QByteArray::number(i)));
        const QString db = dir.filePath("index.sqlite");
        WorkerThread w(WatchOptions{50, 0, 8000});
        QSignalSpy finished(w.worker, &LibraryWorker::runFinished);
        w.worker->setPaused(true);
        w.setCollection("c1", db, {folder});
        // The run records its three files as pending, then waits before the first.
        QTRY_COMPARE_WITH_TIMEOUT(statusValue(db, &IndexStatus::pending), qint64(3), kHangMs);
        QCOMPARE(statusValue(db, &IndexStatus::indexed), qint64(0));
        QCOMPARE(finished.count(), 0);
        w.worker->setPaused(false);
        QVERIFY(finished.wait(kHangMs));
        QCOMPARE(finished.at(0).at(1).toBool(), false);  // not stopped
        QCOMPARE(statusValue(db, &IndexStatus::indexed), qint64(3));
        QCOMPARE(statusValue(db, &IndexStatus::pending), qint64(0));
    }

    void cancelStopsARunAndDropDeletesTheIndex() {
        QTemporaryDir dir;
        const QString folder = QDir(dir.path()).canonicalPath() + "/docs";
        QVERIFY(QDir().mkpath(folder));
        for (int i = 0; i < 3; ++i) QVERIFY(ft::writeBytes(folder + QString("/f%1.txt").arg(i), "yak"));
        const QString db = dir.filePath("index.sqlite");
        WorkerThread w(WatchOptions{50, 0, 8000});
        QSignalSpy finished(w.worker, &LibraryWorker::runFinished);
        w.worker->setPaused(true);
        w.setCollection("c1", db, {folder});
        QTRY_COMPARE_WITH_TIMEOUT(statusValue(db, &IndexStatus::pending), qint64(3), kHangMs);
        w.worker->cancel("c1");
        QVERIFY(finished.wait(kHangMs));
        QCOMPARE(finished.at(0).at(1).toBool(), true);  // stopped early
        QCOMPARE(statusValue(db, &IndexStatus::indexed), qint64(0));
        QMetaObject::invokeMethod(w.worker, [wk = w.worker] { wk->forgetCollection("c1", true); }, Qt::BlockingQueuedConnection);
        QVERIFY(!QFile::exists(db));
    }
};

QTEST_GUILESS_MAIN(TstDocsLibrary)
#include "tst_docs_library.moc"
