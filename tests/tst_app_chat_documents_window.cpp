// Chat with documents in the real window (Main.qml, QT_QPA_PLATFORM=offscreen,
// tiny model on the CPU backend): with a library attached, a question about a
// word on a PDF's third page gets an answer whose sources panel lists that
// page; clicking the source entry opens the built-in PDF viewer at page 3,
// and Escape closes it. Screenshots of both states go to /tmp/facet-shots/.
#include <QDir>
#include <QQmlApplicationEngine>
#include <QQmlContext>
#include <QQuickItem>
#include <QQuickStyle>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>

#include "chat_controller.h"
#include "support/cli_run.h"
#include "support/hang_guard.h"
#include "support/pdf_fixture.h"
#include "support/window_shot.h"
#include "support/test_paths.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

namespace ft = facet::test;
using ft::kHangMs;

namespace {

// Page `frame`'s image in the PDF view (a PdfPageImage delegate), null when
// the view has made none for it (the page is far off screen).
QQuickItem* pageImage(QQuickItem* item, int frame) {
    if (QByteArray(item->metaObject()->className()).contains("PdfPageImage") && item->property("currentFrame").toInt() == frame)
        return item;
    for (QQuickItem* child : item->childItems())
        if (QQuickItem* found = pageImage(child, frame)) return found;
    return nullptr;
}

// The page is drawn (Image.Ready) and its top is in the upper half of the view.
bool pageOnScreen(QQuickItem* view, int frame) {
    QQuickItem* image = pageImage(view, frame);
    if (!image || image->property("status").toInt() != 1) return false;
    const qreal top = image->mapToItem(view, QPointF(0, 0)).y();
    return top >= -1 && top < view->height() / 2;
}

// The first rich or Markdown TextEdit whose text has `needle`.
QQuickItem* findTextEdit(QQuickItem* item, const QString& needle) {
    if (QByteArray(item->metaObject()->className()).startsWith("QQuickTextEdit") &&
        item->property("text").toString().contains(needle))
        return item;
    for (QQuickItem* child : item->childItems())
        if (QQuickItem* found = findTextEdit(child, needle)) return found;
    return nullptr;
}

// A point in `edit` (its own coordinates) on the link `link`, or (-1, -1).
QPointF linkPosition(QQuickItem* edit, const QString& link) {
    for (qreal y = 2; y < edit->height(); y += 4)
        for (qreal x = 2; x < edit->width(); x += 3) {
            QString at;
            QMetaObject::invokeMethod(edit, "linkAt", Q_RETURN_ARG(QString, at), Q_ARG(qreal, x), Q_ARG(qreal, y));
            if (at == link) return {x, y};
        }
    return {-1, -1};
}

bool saveShot(QQuickWindow* window, const QString& name) {
    QDir().mkpath("/tmp/facet-shots");
    const QString path = "/tmp/facet-shots/" + name;
    qInfo("screenshot %s", qPrintable(path));
    return ft::saveFrame(window, path);
}

// Hidden items too: the test checks their visibility itself.
QQuickItem* findItem(QQuickItem* root, const QString& name) { return ft::findItem(root, name, false); }

}  // namespace

class TstAppChatDocumentsWindow : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        facet::test::useWindowTestEnvironment(dir_);
    }
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    void clickingASourceOpensThePdfAtItsPage() {
        const QString root = QDir(dir_.path()).canonicalPath();
        const QString docs = root + "/docs";
        QVERIFY(QDir().mkpath(docs));
        const QString pdf = docs + "/field-guide.pdf";
        QVERIFY(ft::writeTextPdf(pdf, {"Field guide\nBirds of the coast and their nests.",
                               "Reptiles\nLizards bask on warm rocks at noon.",
                               "Marsupials\nThe quokka lives on Rottnest Island and smiles.\nIt eats leaves at night.",
                               "Index\nBirds, lizards, marsupials."}, 14));
        const QString library = root + "/library.sqlite";
        const ft::ProcessOutcome add = ft::runProgram(ft::cliPath(), {"docs", "add", "--db", library, docs}, {},
                                                      ft::headlessEnvironment());
        QVERIFY2(add.exitCode == 0, qPrintable(add.err));
        const QString model = dir_.filePath("chat.gguf");
        const ft::ProcessOutcome mk = ft::runProgram(ft::mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model});
        QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));

        QQmlApplicationEngine engine;
        engine.rootContext()->setContextProperty("initialModelPath", model);
        engine.load(QUrl("qrc:/Facet/qml/Main.qml"));
        QCOMPARE(engine.rootObjects().size(), 1);
        auto* window = qobject_cast<QQuickWindow*>(engine.rootObjects().first());
        QVERIFY(window);
        auto* chat = window->findChild<ChatController*>("chat");
        QVERIFY(chat);
        chat->settings()->setMaxTokens(12);
        QTRY_VERIFY_WITH_TIMEOUT(chat->modelLoaded(), kHangMs);
        QVERIFY(QTest::qWaitForWindowExposed(window, kHangMs));

        QVERIFY(chat->attachDocumentLibrary(library));
        QTRY_VERIFY_WITH_TIMEOUT(findItem(window->contentItem(), "libraryChip-0"), kHangMs);

        auto* input = findItem(window->contentItem(), "messageInput");
        QVERIFY(input);
        QTRY_VERIFY_WITH_TIMEOUT(input->isEnabled(), kHangMs);
        input->setProperty("text", QString("Where does the quokka live?"));
        input->forceActiveFocus();
        QSignalSpy done(chat, &ChatController::replyFinished);
        QTest::keyClick(window, Qt::Key_Return);
        QVERIFY(done.wait(kHangMs));
        const StoredMessage reply = chat->messages()->items().last();
        QVERIFY(!reply.sources.isEmpty());  // the rare word ranks its page first
        QCOMPARE(reply.sources[0].path, pdf);
        QCOMPARE(reply.sources[0].page, 3);

        QQuickItem* source = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((source = findItem(window->contentItem(), "source-1")) && source->isVisible()
                                     && source->height() > 0, kHangMs);
        QVERIFY(saveShot(window, "chat_documents_sources.png"));

        // A real click in the middle of the entry, which must be on screen.
        const QPointF centre = source->mapToScene(QPointF(source->width() / 2, source->height() / 2));
        QVERIFY2(QRectF(0, 0, window->width(), window->height()).contains(centre),
                 qPrintable(QString("source entry at %1,%2 is off screen").arg(centre.x()).arg(centre.y())));
        auto* viewer = window->findChild<QObject*>("pdfViewer");
        QVERIFY(viewer);
        QVERIFY(!viewer->property("opened").toBool());
        QTest::mouseClick(window, Qt::LeftButton, {}, centre.toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(viewer->property("opened").toBool(), kHangMs);
        QTRY_COMPARE_WITH_TIMEOUT(viewer->property("pageCount").toInt(), 4, kHangMs);
        QTRY_COMPARE_WITH_TIMEOUT(viewer->property("pageNumber").toInt(), reply.sources[0].page, kHangMs);
        QCOMPARE(viewer->property("search").toString(), QString("quokka"));
        // Still there once the page is drawn (the word search must not move it).
        // The number is what the view shows: page 3 is drawn at the top of the viewport.
        auto* view = qobject_cast<QQuickItem*>(window->findChild<QObject*>("pdfView"));
        QVERIFY(view);
        QTRY_VERIFY_WITH_TIMEOUT(pageOnScreen(view, 2), kHangMs);
        QVERIFY(saveShot(window, "chat_documents_pdf.png"));
        QCOMPARE(viewer->property("pageNumber").toInt(), reply.sources[0].page);

        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!viewer->property("opened").toBool(), kHangMs);

        // An answer that cites its sources, as a saved conversation (the tiny
        // model never writes "[1]"): each citation is a link; clicking [1]
        // opens the PDF at source 1's page.
        qint64 cited = 0;
        {
            ChatStore store;
            QVERIFY(store.open(dir_.filePath("data") + "/chats.sqlite"));
            cited = store.createConversation("Quokkas (cited)");
            QVERIFY(cited > 0);
            StoredMessage user;
            user.conversationId = cited;
            user.role = "user";
            user.text = "Where does the quokka live?";
            QVERIFY(store.addMessage(user) > 0);
            StoredMessage answer;
            answer.conversationId = cited;
            answer.role = "model";
            answer.text = "The quokka lives on **Rottnest Island** [1]; the guide also covers coastal birds [1, 2].";
            answer.sources = reply.sources;
            QVERIFY(store.addMessage(answer) > 0);
        }
        chat->search("");
        chat->selectConversation(cited);
        QCOMPARE(chat->messages()->items().last().sources, reply.sources);
        QQuickItem* prose = nullptr;
        QTRY_VERIFY_WITH_TIMEOUT((prose = findTextEdit(window->contentItem(), "facet-source:1")), kHangMs);
        QVERIFY(saveShot(window, "chat_documents_citations.png"));
        // The other conversation's delegates are deleted later; between two
        // user actions the event loop has done that, so do it here too.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        chat->settings()->setTheme("dark");  // the highlights must read on the dark theme too
        QVERIFY(saveShot(window, "chat_documents_citations_dark.png"));
        chat->settings()->setTheme("light");
        const QPointF onLink = linkPosition(prose, "facet-source:1");
        QVERIFY2(onLink.x() >= 0, "no [1] link under any point of the answer");
        QTest::mouseClick(window, Qt::LeftButton, {}, prose->mapToScene(onLink).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(viewer->property("opened").toBool(), kHangMs);
        QTRY_VERIFY_WITH_TIMEOUT(pageOnScreen(view, reply.sources[0].page - 1), kHangMs);
        QCOMPARE(viewer->property("pageNumber").toInt(), reply.sources[0].page);
        QTest::keyClick(window, Qt::Key_Escape);
        QTRY_VERIFY_WITH_TIMEOUT(!viewer->property("opened").toBool(), kHangMs);
        chat->selectConversation(chat->conversations()->items().last().id);  // the live answer again

        // Another source of the same document opens at its own page.
        for (int n = 2; n <= reply.sources.size(); ++n) {
            if (reply.sources[n - 1].path != pdf) continue;
            QQuickItem* other = findItem(window->contentItem(), QString("source-%1").arg(n));
            QVERIFY(other);
            QTest::mouseClick(window, Qt::LeftButton, {},
                              other->mapToScene(QPointF(other->width() / 2, other->height() / 2)).toPoint());
            QTRY_VERIFY_WITH_TIMEOUT(viewer->property("opened").toBool(), kHangMs);
            QTRY_VERIFY_WITH_TIMEOUT(pageOnScreen(view, reply.sources[n - 1].page - 1), kHangMs);
            QCOMPARE(viewer->property("pageNumber").toInt(), reply.sources[n - 1].page);
            QTest::keyClick(window, Qt::Key_Escape);
            QTRY_VERIFY_WITH_TIMEOUT(!viewer->property("opened").toBool(), kHangMs);
        }
    }
};

QTEST_MAIN(TstAppChatDocumentsWindow)
#include "tst_app_chat_documents_window.moc"
