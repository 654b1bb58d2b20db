// The documents flow in the real window (Main.qml, offscreen): the toolbar's
// "Documents…" opens the library, a collection is created from its form,
// a folder (a text file, a Markdown file, a PDF and a corrupt PDF) is added
// as a drop would add it, indexing ends with the bad file in the skipped
// list, a file written into the watched folder later is indexed without a
// rescan, pause and resume toggle, and "Use in this chat" attaches the
// collection's index to the chat, whose next answer cites the okapi file.
// Screenshots: documents_library.png, documents_chat.png.
#include <QDir>
#include <QProcess>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "chat_controller.h"
#include "document_library.h"
#include "message_list_model.h"
#include "support/hang_guard.h"
#include "support/pdf_fixture.h"
#include "support/test_paths.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

namespace {

bool saveShot(QQuickWindow* window, const QString& name) {
    return saveFrame(window, QCoreApplication::applicationDirPath() + "/" + name);
}

QVariantMap rowOf(DocumentLibrary* lib, const QString& id) {
    for (const QVariantMap& r : lib->collections()->rows())
        if (r.value("id").toString() == id) return r;
    return {};
}

}  // namespace

class TstAppDocumentsWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        facet::test::useWindowTestEnvironment(dir_);
    }
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    void libraryToChat() {
        const QString folder = QDir(dir_.path()).canonicalPath() + "/field notes";
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(writeBytes(folder + "/ibis.txt", "The sacred ibis wades in shallow water.\n"));
        QVERIFY(writeBytes(folder + "/okapi.md", "# Okapi\n\nThe okapi lives in the Ituri rainforest.\n"));
        QVERIFY(writeTextPdf(folder + "/quokka.pdf", {"Page one: marsupials.", "Page two: the quokka smiles."}));
        QVERIFY(writeBytes(folder + "/broken.pdf", "%PDF-1.7\nthis is not really a PDF\n"));

        QQmlApplicationEngine engine;
        engine.rootContext()->setContextProperty("initialModelPath", QString());
        engine.load(QUrl("qrc:/Facet/qml/Main.qml"));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window && QTest::qWaitForWindowExposed(window, kHangMs));
        auto* chat = window->findChild<ChatController*>("chat");
        auto* library = window->findChild<DocumentLibrary*>("documents");
        auto* dialog = window->findChild<QObject*>("documentsDialog");
        QVERIFY(chat && library && dialog);
        QCOMPARE(library->directory(), dir_.filePath("data") + "/documents");

        // The toolbar opens the library; the form creates a collection.
        QQuickItem* open = window->findChild<QQuickItem*>("documentsButton");
        QVERIFY(open);
        QVERIFY(QMetaObject::invokeMethod(open, "clicked"));
        QTRY_VERIFY_WITH_TIMEOUT(dialog->property("opened").toBool(), kHangMs);
        QQuickItem* name = window->findChild<QQuickItem*>("newCollectionName");
        QQuickItem* create = window->findChild<QQuickItem*>("createCollection");
        QVERIFY(name && create);
        name->setProperty("text", "Field notes");
        QVERIFY(QMetaObject::invokeMethod(create, "clicked"));
        QCOMPARE(library->collections()->count(), 1);
        const QString id = library->currentId();
        QVERIFY(!id.isEmpty());
        QCOMPARE(rowOf(library, id).value("name").toString(), QString("Field notes"));

        // A dropped folder: three documents indexed, the broken PDF skipped with its reason.
        QSignalSpy status(library, &DocumentLibrary::statusChanged);
        QVERIFY(library->addSources(id, {QUrl::fromLocalFile(folder)}));
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(library, id).value("indexed").toInt(), 3, kHangMs);
        QCOMPARE(rowOf(library, id).value("skippedCount").toInt(), 1);
        QCOMPARE(library->skipped()->count(), 1);
        QCOMPARE(library->skipped()->rows().first().value("name").toString(), QString("broken.pdf"));
        QVERIFY(!library->skipped()->rows().first().value("reason").toString().isEmpty());
        QCOMPARE(library->sources()->count(), 1);
        QVERIFY(library->sources()->rows().first().value("folder").toBool());
        QQuickItem* skippedList = window->findChild<QQuickItem*>("skippedList");
        QVERIFY(skippedList);
        QCOMPARE(skippedList->property("count").toInt(), 1);

        // The folder is watched: a new file is indexed with no rescan asked for.
        QVERIFY(writeBytes(folder + "/tapir.txt", "The tapir browses at dusk.\n"));
        QTRY_COMPARE_WITH_TIMEOUT(rowOf(library, id).value("indexed").toInt(), 4, kHangMs);

        // Pause and resume from the button.
        QQuickItem* pause = window->findChild<QQuickItem*>("pauseIndexing");
        QVERIFY(pause);
        QVERIFY(QMetaObject::invokeMethod(pause, "clicked"));
        QVERIFY(library->paused());
        QCOMPARE(pause->property("text").toString(), QString("Resume indexing"));
        QVERIFY(QMetaObject::invokeMethod(pause, "clicked"));
        QVERIFY(!library->paused());
        QVERIFY(saveShot(window, "documents_library.png"));

        // "Use in this chat" attaches the collection's index and closes the library.
        QQuickItem* use = window->findChild<QQuickItem*>("useInChat");
        QVERIFY(use);
        QVERIFY(QMetaObject::invokeMethod(use, "clicked"));
        QCOMPARE(chat->documentLibraries(), QStringList{library->indexPath(id)});
        QCOMPARE(chat->documentLibraryNames(), QStringList{"Field notes"});  // the chip shows the collection's name
        QTRY_VERIFY_WITH_TIMEOUT(!dialog->property("visible").toBool(), kHangMs);

        // A question in that chat is answered from the collection (tiny model: assert on the sources, not the words).
        const QString tiny = dir_.filePath("tiny.gguf");
        QProcess mk;
        mk.start(mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", tiny});
        QVERIFY(mk.waitForFinished(kHangMs) && mk.exitCode() == 0);
        chat->loadModel(tiny);
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), kHangMs);
        chat->settings()->setMaxTokens(8);
        QSignalSpy done(chat, &ChatController::replyFinished);
        QVERIFY(chat->send("Where does the okapi live?"));
        QVERIFY(done.wait(kHangMs));
        QCOMPARE(chat->messages()->rowCount(), 2);
        const QVariantList sources = chat->messages()->index(1).data(MessageListModel::SourcesRole).toList();
        QVERIFY(!sources.isEmpty());
        QVERIFY2(sources.first().toMap().value("path").toString().endsWith("/okapi.md"), qPrintable(sources.first().toMap().value("path").toString()));
        QVERIFY(saveShot(window, "documents_chat.png"));

        // The collection survives a restart of the library (collections.json).
        DocumentLibrary reopened;
        reopened.setDirectory(library->directory());
        QCOMPARE(reopened.collections()->count(), 1);
        QCOMPARE(reopened.collectionName(id), QString("Field notes"));
    }
};

QTEST_MAIN(TstAppDocumentsWindow)
#include "tst_app_documents_window.moc"
