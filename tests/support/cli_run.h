// Shared by the tests that run facet-cli (or another tool) as a child
// process: its exit code and output, an environment without a display, and
// the one-line error contract every facet-cli failure keeps.
#pragma once

#include <QProcess>
#include <QProcessEnvironment>
#include <QStringList>
#include <QtTest>
#include <vector>

#include "support/hang_guard.h"

namespace facet::test {

struct ProcessOutcome {
    int exitCode = -1;  // -2: it crashed
    QString out, err;
};

inline ProcessOutcome runProgram(const QString& program, const QStringList& args, const QByteArray& stdinData = {},
                                 const QProcessEnvironment& env = QProcessEnvironment::systemEnvironment()) {
    QProcess p;
    p.setProcessEnvironment(env);
    p.start(program, args);
    ProcessOutcome o;
    if (!p.waitForStarted(kHangMs)) {
        o.err = "could not start " + program;
        return o;
    }
    if (!stdinData.isEmpty()) p.write(stdinData);
    p.closeWriteChannel();
    p.waitForFinished(kHangMs);
    o.exitCode = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -2;
    o.out = QString::fromUtf8(p.readAllStandardOutput());
    o.err = QString::fromUtf8(p.readAllStandardError());
    return o;
}

// The environment of a machine without a display: the CLI must pick Qt's
// offscreen platform itself where it needs one.
inline QProcessEnvironment headlessEnvironment() {
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.remove("DISPLAY");
    env.remove("WAYLAND_DISPLAY");
    env.remove("QT_QPA_PLATFORM");
    return env;
}

// A failure must be one line "facet-cli: ..." on stderr and a non-zero exit.
inline void expectOneLineError(const ProcessOutcome& o, const QString& needle) {
    QVERIFY2(o.exitCode > 0, qPrintable(QString("exit %1: %2").arg(o.exitCode).arg(o.err)));
    const QString e = o.err.trimmed();
    QVERIFY2(e.startsWith("facet-cli: ") && !e.contains('\n'), qPrintable(o.err));
    QVERIFY2(e.contains(needle), qPrintable(o.err));
}

inline QString joinIds(const std::vector<int>& ids) {
    QStringList s;
    for (int id : ids) s << QString::number(id);
    return s.join(' ');
}

}  // namespace facet::test
