// `facet-cli docs add` killed with SIGKILL in the middle of a run, then run
// again: nothing committed is lost or parsed twice, nothing is duplicated,
// and the second run finishes the files the first left pending.
//
// The kill point needs no timing: the child's stderr is a pipe this test does
// not read, so after a few hundred progress lines the child blocks writing to
// it — with 1200 files its output is several times the pipe's capacity, so it
// can never finish. The test waits until half the pipe is filled (a few
// hundred files done), then kills it wherever it is, maybe mid-transaction.
#include <QDir>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "doc_index.h"
#include "support/cli_run.h"
#include "support/docs_fixtures.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"

extern char** environ;

using namespace facet::docs;
namespace ft = facet::test;

namespace {

constexpr int kFiles = 1200;

QString fileName(int i) {
    return QStringLiteral("kill-and-resume-document-number-%1-with-a-long-name.txt").arg(i, 4, 10, QLatin1Char('0'));
}

}  // namespace

class TstDocsKillResume : public QObject {
    Q_OBJECT

private slots:
    void killedRunResumesWithNothingLostOrDuplicated() {
        QTemporaryDir dir;
        const QString folder = QDir(dir.path()).canonicalPath() + "/docs";
        QVERIFY(QDir().mkpath(folder));
        for (int i = 0; i < kFiles; ++i)
            QVERIFY(ft::writeBytes(folder + "/" + fileName(i),
                                   QStringLiteral("wombat record %1 unique token%1x").arg(i).toUtf8()));
        const QString db = dir.filePath("index.sqlite");

        int errPipe[2];
        QCOMPARE(pipe(errPipe), 0);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2);
        posix_spawn_file_actions_addclose(&actions, errPipe[0]);
        const QByteArray cli = ft::cliPath().toLocal8Bit(), dbArg = db.toLocal8Bit(), folderArg = folder.toLocal8Bit();
        char* argv[] = {const_cast<char*>(cli.constData()), const_cast<char*>("docs"), const_cast<char*>("add"),
                        const_cast<char*>("--db"), const_cast<char*>(dbArg.constData()),
                        const_cast<char*>(folderArg.constData()), nullptr};
        pid_t pid = 0;
        QCOMPARE(posix_spawn(&pid, cli.constData(), &actions, nullptr, argv, environ), 0);
        posix_spawn_file_actions_destroy(&actions);
        close(errPipe[1]);

        // Wait (hang guard only) until half the pipe is filled.
        QElapsedTimer guard;
        guard.start();
        int buffered = 0, status = 0;
        const int capacity = fcntl(errPipe[0], F_GETPIPE_SZ);
        QVERIFY(capacity > 0);
        while (true) {
            QVERIFY(ioctl(errPipe[0], FIONREAD, &buffered) == 0);
            if (buffered >= capacity / 2) break;
            QVERIFY2(waitpid(pid, &status, WNOHANG) == 0, "the child ended before half its stderr pipe filled");
            QVERIFY2(guard.elapsed() < ft::kHangMs, "the child never filled half its stderr pipe");
            QThread::msleep(5);  // polling a condition, not timing anything
        }
        QCOMPARE(kill(pid, SIGKILL), 0);
        QCOMPARE(waitpid(pid, &status, 0), pid);
        QVERIFY(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
        close(errPipe[0]);

        qint64 indexedBefore = 0;
        {
            auto index = DocIndex::open(db);
            QVERIFY2(index.ok(), index.ok() ? "" : index.message().c_str());
            auto st = index.value()->status();
            QVERIFY(st.ok());
            indexedBefore = st->indexed;
            QVERIFY2(indexedBefore > 0 && indexedBefore < kFiles, qPrintable(QString::number(indexedBefore)));
            QCOMPARE(st->pending, kFiles - indexedBefore);
            QCOMPARE(st->chunks, indexedBefore);  // one chunk per committed file, none half-written
        }

        const ft::ProcessOutcome again = ft::runProgram(ft::cliPath(), {"docs", "add", "--db", db, folder});
        QVERIFY2(again.exitCode == 0, qPrintable(again.err));
        // Files the killed run committed are not parsed again.
        QVERIFY2(again.err.contains(QStringLiteral("%1 files: %2 indexed, %3 unchanged")
                                        .arg(kFiles)
                                        .arg(kFiles - indexedBefore)
                                        .arg(indexedBefore)),
                 qPrintable(again.err.right(300)));

        auto index = DocIndex::open(db);
        QVERIFY(index.ok());
        auto st = index.value()->status();
        QVERIFY(st.ok());
        QCOMPARE(st->indexed, qint64(kFiles));
        QCOMPARE(st->pending, qint64(0));
        QCOMPARE(st->chunks, qint64(kFiles));
        QVERIFY(st->skipped.empty());
        // FTS holds each chunk once: the common word hits every file exactly once.
        auto all = index.value()->keywordSearch("wombat", kFiles + 10);
        QVERIFY(all.ok());
        QCOMPARE(int(all->size()), kFiles);
        QSet<QString> paths;
        for (const SearchHit& h : all.value()) paths.insert(h.path);
        QCOMPARE(int(paths.size()), kFiles);
        for (int i : {0, int(indexedBefore) - 1, int(indexedBefore), kFiles - 1}) {
            auto one = index.value()->keywordSearch(QStringLiteral("token%1x").arg(i), 5);
            QVERIFY(one.ok());
            QCOMPARE(int(one->size()), 1);
            QCOMPARE(QFileInfo(one->at(0).path).fileName(), fileName(i));
        }
    }
};

QTEST_GUILESS_MAIN(TstDocsKillResume)
#include "tst_docs_kill_resume.moc"
