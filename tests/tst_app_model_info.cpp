// The app's model panel controller: loads on its worker thread, exposes the
// facts through a list model, and turns a bad file into an error string.
#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

#include "model_info_controller.h"
#include "support/test_paths.h"
#include "support/hang_guard.h"

class TstAppModelInfo : public QObject {
    Q_OBJECT
private slots:
    void loadsModelFactsOffTheUiThread();
    void badFileBecomesError();
    void missingPathBecomesError();
};

void TstAppModelInfo::loadsModelFactsOffTheUiThread() {
    ModelInfoController c;
    QAbstractItemModelTester tester(c.facts(), QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy changed(&c, &ModelInfoController::modelChanged);
    c.openModel(facet::test::dataFile("moe-like.gguf"));
    QVERIFY(c.busy());  // the call returned before the load finished
    QVERIFY(changed.wait(facet::test::kHangMs));
    QVERIFY(!c.busy());
    QCOMPARE(c.error(), QString());
    QVERIFY(c.facts()->rowCount() > 10);
    bool sawExperts = false;
    for (int r = 0; r < c.facts()->rowCount(); ++r) {
        const QModelIndex i = c.facts()->index(r);
        if (i.data(int(ModelFactsModel::Role::Key)).toString() == "experts") {
            QCOMPARE(i.data(int(ModelFactsModel::Role::Value)).toString(), QString("16, 4 used, width 32"));
            sawExperts = true;
        }
    }
    QVERIFY(sawExperts);
    QVERIFY(c.layersText().contains("k=v"));
}

void TstAppModelInfo::badFileBecomesError() {
    QTemporaryDir dir;
    const QString path = dir.filePath("broken.gguf");
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("GGUF\x03\x00\x00\x00garbage");
    f.close();
    ModelInfoController c;
    QSignalSpy err(&c, &ModelInfoController::errorChanged);
    c.openModel(path);
    QVERIFY(err.wait(facet::test::kHangMs));
    QVERIFY2(c.error().contains("broken.gguf"), qPrintable(c.error()));
    QVERIFY(!c.busy());
    QCOMPARE(c.modelPath(), QString());
}

void TstAppModelInfo::missingPathBecomesError() {
    ModelInfoController c;
    c.openModel("/nonexistent/model.gguf");
    QVERIFY(c.error().contains("no such file"));
    QVERIFY(!c.busy());
}

QTEST_GUILESS_MAIN(TstAppModelInfo)
#include "tst_app_model_info.moc"
