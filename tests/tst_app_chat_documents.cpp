// Chat with documents through ChatController, end to end with a tiny model on
// the CPU backend: a library indexed by `facet-cli docs add` from a text file
// and a generated PDF is attached to the conversation; a question is answered
// from retrieved passages and the model message keeps its numbered sources
// (file, page, label, section, passage, query words) across a reopened
// store; a question nothing matches gives no sources and a prompt that tells
// the model so. A library indexed with an embedding model is searched in
// hybrid mode (semantic hits for words the text lacks); when that model has
// moved or another model sits at its path, keyword search stands in and the
// user is told. The store's migration from schema 4 and the citation links
// are checked on their own. The model is random, so its wording is never
// asserted: only sources, prompts and stored rows are.
#include <QAbstractItemModelTester>
#include <QDir>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QFile>
#include <QtTest>

#include "chat_controller.h"
#include "doc_index.h"
#include "document_sources.h"
#include "library_worker.h"
#include "support/cli_run.h"
#include "support/hang_guard.h"
#include "support/pdf_fixture.h"
#include "support/test_paths.h"

namespace ft = facet::test;
using ft::kHangMs;

namespace {

}  // namespace

class TstAppChatDocuments : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString model_, docs_, library_, pdf_, notes_, otherLibrary_, otherNotes_, embedModel_, embeddedLibrary_;
    int instances_ = 0;

    std::unique_ptr<ChatController> make(const QString& db) {
        auto c = std::make_unique<ChatController>();
        c->setDatabasePath(db);
        c->setBackend("cpu");
        c->settings()->setFile(dir_.filePath(QString("settings-%1.ini").arg(++instances_)));
        c->settings()->setContextLength(1024);
        c->settings()->setMaxTokens(8);
        c->settings()->setTemperature(0.0);
        return c;
    }

    static bool load(ChatController& c, const QString& path) {
        c.loadModel(path);
        return QTest::qWaitFor([&] { return !c.loading(); }, kHangMs) && c.modelLoaded();
    }

    // Sends `question` and waits for the reply; the prompt retrieval built comes back.
    static bool ask(ChatController& c, const QString& question, QString* prompt) {
        QSignalSpy retrieved(&c, &ChatController::documentsRetrieved);
        QSignalSpy done(&c, &ChatController::replyFinished);
        if (!c.send(question)) return false;
        if (!done.wait(kHangMs)) return false;
        if (retrieved.count() != 1) return false;
        *prompt = retrieved.first().at(0).toString();
        return true;
    }

    static bool index(const QString& db, const QString& folder, const QStringList& extra = {}) {
        const ft::ProcessOutcome o =
            ft::runProgram(ft::cliPath(), QStringList{"docs", "add", "--db", db} + extra + QStringList{folder}, {},
                           ft::headlessEnvironment());
        if (o.exitCode != 0) qWarning("docs add: %s", qPrintable(o.err));
        return o.exitCode == 0;
    }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        const QString root = QDir(dir_.path()).canonicalPath();
        docs_ = root + "/docs";
        QVERIFY(QDir().mkpath(docs_));
        pdf_ = docs_ + "/field-guide.pdf";
        notes_ = docs_ + "/notes.txt";
        // The quokka is on the PDF's third page only; the zebra only in the notes.
        QVERIFY(ft::writeTextPdf(pdf_, {"Field guide\nBirds of the coast and their nests.",
                                "Reptiles\nLizards bask on warm rocks at noon.",
                                "Marsupials\nThe quokka lives on Rottnest Island and smiles.\nIt eats leaves at night."}, 11));
        QVERIFY(ft::writeBytes(notes_, "Savanna notes\n\nA zebra herd crossed the river at dawn.\n"));
        library_ = root + "/library.sqlite";
        QVERIFY(index(library_, docs_));

        // A second library that also knows the quokka (fusion across libraries).
        const QString other = root + "/other";
        QVERIFY(QDir().mkpath(other));
        otherNotes_ = other + "/island.txt";
        QVERIFY(ft::writeBytes(otherNotes_, "Island diary\n\nA quokka came to the campsite for water.\n"));
        otherLibrary_ = root + "/other.sqlite";
        QVERIFY(index(otherLibrary_, other));

        // The same documents with embeddings, by a copy of a test EmbeddingGemma that tests may move.
        embedModel_ = root + "/embed.gguf";
        QVERIFY(QFile::copy(ft::dataFile("embedding/embgemma-like.s11.gguf"), embedModel_));
        embeddedLibrary_ = root + "/embedded.sqlite";
        QVERIFY(index(embeddedLibrary_, docs_, {"--embed-model", embedModel_}));

        model_ = dir_.filePath("chat.gguf");
        const ft::ProcessOutcome mk = ft::runProgram(ft::mkmodelPath(), {"--variant", "e2b-like", "--type", "q8_0", "-o", model_});
        QVERIFY2(mk.exitCode == 0, qPrintable(mk.err));
    }

    void attachesDetachesAndPersistsLibraries() {
        const QString db = dir_.filePath("attach.sqlite");
        qint64 conv = 0;
        {
            auto c = make(db);
            QSignalSpy changed(c.get(), &ChatController::documentLibrariesChanged);
            QVERIFY(!c->attachDocumentLibrary(dir_.filePath("missing.sqlite")));
            QVERIFY(c->documentLibraries().isEmpty());
            // Before the first message: kept until send() creates the conversation.
            QVERIFY(c->attachDocumentLibrary(QUrl::fromLocalFile(library_).toString()));
            QVERIFY(!c->attachDocumentLibrary(library_));  // already there
            QCOMPARE(c->documentLibraries(), QStringList{library_});
            QCOMPARE(c->documentLibraryNames(), QStringList{"library.sqlite"});
            QCOMPARE(changed.count(), 1);
            QVERIFY(load(*c, model_));
            QString prompt;
            QVERIFY(ask(*c, "zebra", &prompt));
            conv = c->currentConversation();
            QVERIFY(conv > 0);
            QCOMPARE(c->store().conversationLibraries(conv), QStringList{library_});
            QVERIFY(c->attachDocumentLibrary(otherLibrary_));
            QCOMPARE(c->store().conversationLibraries(conv), (QStringList{library_, otherLibrary_}));
            QVERIFY(c->detachDocumentLibrary(library_));
            QVERIFY(!c->detachDocumentLibrary(library_));
            QCOMPARE(c->store().conversationLibraries(conv), QStringList{otherLibrary_});
            c->newConversation();
            QVERIFY(c->documentLibraries().isEmpty());  // a new chat starts without
        }
        auto c = make(db);
        c->search("");
        c->selectConversation(conv);
        QCOMPARE(c->documentLibraries(), QStringList{otherLibrary_});
    }

    void answerKeepsSourcesAcrossRestart() {
        const QString db = dir_.filePath("sources.sqlite");
        qint64 conv = 0, replyId = 0;
        QList<MessageSource> sources;
        {
            auto c = make(db);
            QAbstractItemModelTester tester(c->messages());
            QVERIFY(c->attachDocumentLibrary(library_));
            QVERIFY(load(*c, model_));
            QString prompt;
            QVERIFY(ask(*c, "Where does the quokka live?", &prompt));
            conv = c->currentConversation();
            const StoredMessage reply = c->messages()->items().last();
            replyId = reply.id;
            QCOMPARE(reply.role, QString("model"));
            sources = reply.sources;
            // Terms are OR-ed (BM25 ranks partial matches), so "the" may bring in
            // more; the rare word puts the PDF's third page first.
            QVERIFY(!sources.isEmpty());
            QCOMPARE(sources[0].path, pdf_);
            QCOMPARE(sources[0].page, 3);
            QVERIFY2(sources[0].text.contains("quokka"), qPrintable(sources[0].text));
            QVERIFY(sources[0].terms.contains("quokka"));
            QVERIFY(!sources[0].terms.contains("where"));  // not worth highlighting
            // The model was given the numbered passage and the question.
            QVERIFY2(prompt.contains("[1] (field-guide.pdf, page 3)"), qPrintable(prompt));
            QVERIFY(prompt.contains("Rottnest"));
            QVERIFY(prompt.endsWith("Question: Where does the quokka live?"));
            // The user's row keeps the question, not the passages.
            QCOMPARE(c->messages()->items().first().text, QString("Where does the quokka live?"));

            // The view's role: numbered, located, highlighted.
            const QModelIndex row = c->messages()->index(c->messages()->rowCount() - 1);
            const QVariantList shown = row.data(MessageListModel::SourcesRole).toList();
            QCOMPARE(shown.size(), sources.size());
            const QVariantMap s = shown.first().toMap();
            QCOMPARE(s.value("number").toInt(), 1);
            QCOMPARE(s.value("fileName").toString(), QString("field-guide.pdf"));
            QCOMPARE(s.value("location").toString(), QString("p. 3"));
            QCOMPARE(s.value("isPdf").toBool(), true);
            QCOMPARE(s.value("search").toString(), QString("quokka"));
            QVERIFY(s.value("passageHtml").toString().contains("<b>quokka</b>"));
            QVERIFY(!s.value("passageHtml").toString().contains("<b>Island</b>"));

            // Opening it asks for the viewer at the page (0-based) with the word.
            QSignalSpy pdf(c.get(), &ChatController::pdfSourceRequested);
            QVERIFY(c->openSource(replyId, 1));
            QCOMPARE(pdf.count(), 1);
            QCOMPARE(pdf.first().at(0).toUrl(), QUrl::fromLocalFile(pdf_));
            QCOMPARE(pdf.first().at(2).toInt(), 2);
            QCOMPARE(pdf.first().at(3).toString(), QString("quokka"));
            QVERIFY(!c->openSource(replyId, int(sources.size()) + 1));  // no such number
            QVERIFY(!c->openSource(replyId, 0));
        }
        auto c = make(db);
        c->search("");
        c->selectConversation(conv);
        QCOMPARE(c->messages()->rowCount(), 2);
        QCOMPARE(c->messages()->items().last().id, replyId);
        QCOMPARE(c->messages()->items().last().sources, sources);
        QCOMPARE(c->documentLibraries(), QStringList{library_});

        // Exports keep the numbered sources, so a citation [1] still points somewhere.
        const QString md = dir_.filePath("sources-export.md"), js = dir_.filePath("sources-export.json");
        QVERIFY(c->exportConversation(conv, md, "markdown"));
        QVERIFY(c->exportConversation(conv, js, "json"));
        QFile mdFile(md), jsFile(js);
        QVERIFY(mdFile.open(QIODevice::ReadOnly) && jsFile.open(QIODevice::ReadOnly));
        const QString markdown = QString::fromUtf8(mdFile.readAll());
        QVERIFY2(markdown.contains("**Sources**\n\n1. field-guide.pdf, p. 3") && markdown.contains(pdf_), qPrintable(markdown));
        const QJsonArray exported = QJsonDocument::fromJson(jsFile.readAll()).object().value("messages").toArray();
        QCOMPARE(exported.size(), 2);
        QVERIFY(!exported[0].toObject().contains("sources"));  // the question has none
        const QJsonArray first = exported[1].toObject().value("sources").toArray();
        QCOMPARE(first.size(), sources.size());
        QCOMPARE(sourcesFromJson(QString::fromUtf8(QJsonDocument(first).toJson())), sources);
    }

    void textFileSourceHasNoPage() {
        auto c = make(dir_.filePath("text.sqlite"));
        QVERIFY(c->attachDocumentLibrary(library_));
        QVERIFY(load(*c, model_));
        QString prompt;
        QVERIFY(ask(*c, "zebra herd", &prompt));
        const QList<MessageSource> sources = c->messages()->items().last().sources;
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].path, notes_);
        QCOMPARE(sources[0].page, 0);
        QVERIFY(sources[0].text.contains("zebra herd"));
        QCOMPARE(sourcesForQml(sources).first().toMap().value("location").toString(), QString());

        // Regenerating searches again: with the library detached the new answer cites nothing.
        QVERIFY(c->detachDocumentLibrary(library_));
        QSignalSpy retrieved(c.get(), &ChatController::documentsRetrieved);
        QSignalSpy done(c.get(), &ChatController::replyFinished);
        QVERIFY(c->regenerate());
        QVERIFY(done.wait(kHangMs));
        QCOMPARE(retrieved.count(), 0);
        QVERIFY(c->messages()->items().last().sources.isEmpty());
        QVERIFY(c->store().messages(c->currentConversation()).last().sources.isEmpty());
    }

    void librariesAreFusedByRank() {
        auto c = make(dir_.filePath("fused.sqlite"));
        QVERIFY(c->attachDocumentLibrary(library_));
        QVERIFY(c->attachDocumentLibrary(otherLibrary_));
        QVERIFY(load(*c, model_));
        QString prompt;
        QVERIFY(ask(*c, "quokka", &prompt));
        const QList<MessageSource> sources = c->messages()->items().last().sources;
        // Each library's best hit, the first library's first on a tie of ranks.
        QCOMPARE(sources.size(), 2);
        QCOMPARE(sources[0].path, pdf_);
        QCOMPARE(sources[1].path, otherNotes_);
        QVERIFY(prompt.contains("[2] (island.txt)"));
    }

    void noMatchTellsTheModel() {
        const QString db = dir_.filePath("nomatch.sqlite");
        auto c = make(db);
        QVERIFY(c->attachDocumentLibrary(library_));
        QVERIFY(load(*c, model_));
        QString prompt;
        QVERIFY(ask(*c, "xylophone", &prompt));
        QVERIFY(c->messages()->items().last().sources.isEmpty());
        QVERIFY2(prompt.startsWith("No passage in the user's documents matched the question below."), qPrintable(prompt));
        QVERIFY(prompt.endsWith("Question: xylophone"));
        QVERIFY(!c->notice().isEmpty());  // the user is told too
        QVERIFY(c->store().messages(c->currentConversation()).last().sources.isEmpty());
    }

    // "xylophone" is in no document: keyword search finds nothing, a library
    // with embeddings still returns its nearest chunks (random weights: which
    // ones is arbitrary, that there are some is the mechanics).
    void embeddingsMakeTheSearchHybrid() {
        for (const bool embedded : {false, true}) {
            auto c = make(dir_.filePath(embedded ? "hybrid-on.sqlite" : "hybrid-off.sqlite"));
            QVERIFY(c->attachDocumentLibrary(embedded ? embeddedLibrary_ : library_));
            QVERIFY(load(*c, model_));
            QString prompt;
            QVERIFY(ask(*c, "xylophone", &prompt));
            const QList<MessageSource> sources = c->messages()->items().last().sources;
            QCOMPARE(sources.isEmpty(), !embedded);
            QCOMPARE(prompt.startsWith("No passage in the user's documents matched"), !embedded);
            QVERIFY2(!c->notice().contains("keyword only"), qPrintable(c->notice()));
            if (embedded)
                for (const MessageSource& src : sources) QVERIFY2(src.path == pdf_ || src.path == notes_, qPrintable(src.path));
        }
    }

    // The app's own indexer records the model's path as the CLI does, so its
    // libraries are searched in hybrid mode too.
    void appIndexerRecordsTheModelPath() {
        const QString indexPath = QDir(dir_.path()).canonicalPath() + "/app-indexed.sqlite";
        {
            facet::docs::LibraryWorker worker;
            QSignalSpy finished(&worker, &facet::docs::LibraryWorker::runFinished);
            QSignalSpy failed(&worker, &facet::docs::LibraryWorker::failed);
            worker.setEmbeddingModel(embedModel_);
            worker.setCollection("app", indexPath, {docs_});
            QVERIFY(finished.wait(kHangMs));
            QCOMPARE(failed.count(), 0);
        }
        {
            auto index = facet::docs::DocIndex::open(indexPath);
            QVERIFY(index.ok());
            QCOMPARE(index.value()->meta("embed_model_path"), embedModel_);
            QVERIFY(!index.value()->meta("embed_model_id").isEmpty());
        }
        auto c = make(dir_.filePath("app-indexed-chat.sqlite"));
        QVERIFY(c->attachDocumentLibrary(indexPath));
        QVERIFY(load(*c, model_));
        QString prompt;
        QVERIFY(ask(*c, "xylophone", &prompt));
        QVERIFY(!c->messages()->items().last().sources.isEmpty());
    }

    // The model moved: keyword search and a notice, then another model at its
    // path: the same (its vectors would not compare). The reply goes on.
    void movedEmbeddingModelFallsBackToKeyword() {
        const QString moved = embedModel_ + ".moved";
        QVERIFY(QFile::rename(embedModel_, moved));
        auto c = make(dir_.filePath("moved.sqlite"));
        QVERIFY(c->attachDocumentLibrary(embeddedLibrary_));
        QVERIFY(load(*c, model_));
        QString prompt;
        QVERIFY(ask(*c, "xylophone", &prompt));
        QVERIFY(c->messages()->items().last().sources.isEmpty());
        QVERIFY2(c->notice().contains("embedded.sqlite") && c->notice().contains("missing") &&
                     c->notice().contains("keyword only"),
                 qPrintable(c->notice()));
        QVERIFY(ask(*c, "quokka", &prompt));  // keyword search still answers
        QVERIFY2(!c->messages()->items().last().sources.isEmpty(), qPrintable(c->notice() + "\n" + prompt));

        QVERIFY(QFile::copy(ft::dataFile("embedding/embgemma-like.s12.gguf"), embedModel_));
        QVERIFY(ask(*c, "xylophone", &prompt));
        QVERIFY(c->messages()->items().last().sources.isEmpty());
        QVERIFY2(c->notice().contains("not the embedding model it was indexed with"), qPrintable(c->notice()));

        QVERIFY(QFile::remove(embedModel_));
        QVERIFY(QFile::rename(moved, embedModel_));
        QVERIFY(ask(*c, "xylophone", &prompt));  // back in place: hybrid again
        QVERIFY(!c->messages()->items().last().sources.isEmpty());
    }

    void missingLibraryIsSkippedNotFatal() {
        const QString gone = dir_.filePath("gone.sqlite");
        QVERIFY(QFile::copy(library_, gone));
        auto c = make(dir_.filePath("gone-chat.sqlite"));
        QVERIFY(c->attachDocumentLibrary(gone));
        QVERIFY(c->attachDocumentLibrary(otherLibrary_));
        QVERIFY(QFile::remove(gone));
        QVERIFY(load(*c, model_));
        QString prompt;
        QVERIFY(ask(*c, "quokka", &prompt));
        const QList<MessageSource> sources = c->messages()->items().last().sources;
        QCOMPARE(sources.size(), 1);
        QCOMPARE(sources[0].path, otherNotes_);
        QVERIFY2(c->notice().contains("gone.sqlite"), qPrintable(c->notice()));
        QVERIFY(!QFile::exists(gone));  // searching did not create it again
    }

    void migratesSchema4Store() {
        const QString path = dir_.filePath("v4.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "v4");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery q(db);
            // The schema as version 4 left it.
            QVERIFY(q.exec("CREATE TABLE conversations (id INTEGER PRIMARY KEY, title TEXT NOT NULL, "
                           "created_at TEXT NOT NULL, updated_at TEXT NOT NULL)"));
            QVERIFY(q.exec("CREATE TABLE messages (id INTEGER PRIMARY KEY, conversation_id INTEGER NOT NULL "
                           "REFERENCES conversations(id) ON DELETE CASCADE, role TEXT NOT NULL, text TEXT NOT NULL, "
                           "created_at TEXT NOT NULL, thinking TEXT NOT NULL DEFAULT '', model TEXT NOT NULL DEFAULT '', "
                           "settings TEXT NOT NULL DEFAULT '', tokens INTEGER NOT NULL DEFAULT 0, partial INTEGER NOT "
                           "NULL DEFAULT 0, alternatives TEXT NOT NULL DEFAULT '[]', thinking_ms INTEGER NOT NULL DEFAULT 0)"));
            QVERIFY(q.exec("INSERT INTO conversations VALUES (1, 'old', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')"));
            QVERIFY(q.exec("INSERT INTO messages (id, conversation_id, role, text, created_at) VALUES "
                           "(1, 1, 'user', 'hi', '2026-01-01T00:00:00.000Z'), (2, 1, 'model', 'hello', '2026-01-01T00:00:01.000Z')"));
            QVERIFY(q.exec("PRAGMA user_version=4"));
            db.close();
        }
        QSqlDatabase::removeDatabase("v4");
        ChatStore s;
        QString error;
        QVERIFY2(s.open(path, &error), qPrintable(error));
        QCOMPARE(s.schemaVersion(), ChatStore::kSchemaVersion);
        QVERIFY(s.conversationLibraries(1).isEmpty());
        const QList<StoredMessage> msgs = s.messages(1);
        QCOMPARE(msgs.size(), 2);
        QCOMPARE(msgs[1].text, QString("hello"));
        QVERIFY(msgs[1].sources.isEmpty());
        const MessageSource src{"/a/b.pdf", 12, "xii", "Intro > Setup", "passage", {"setup"}};
        QVERIFY(s.setSources(2, {src}));
        QVERIFY(s.setConversationLibraries(1, {"/x/lib.sqlite"}));
        QCOMPARE(s.messages(1)[1].sources, QList<MessageSource>{src});
        QCOMPARE(s.conversationLibraries(1), QStringList{"/x/lib.sqlite"});
        QCOMPARE(sourcesForQml({src}).first().toMap().value("location").toString(), QString("p. 12 (label xii)"));
    }

    void citationsBecomeLinks_data() {
        QTest::addColumn<QString>("markdown");
        QTest::addColumn<int>("count");
        QTest::addColumn<QString>("expected");
        QTest::newRow("one") << "Yes [1]." << 2 << "Yes [\\[1\\]](facet-source:1).";
        QTest::newRow("list") << "See [1, 2]" << 2 << "See [\\[1\\]](facet-source:1) [\\[2\\]](facet-source:2)";
        QTest::newRow("out of range") << "See [3]" << 2 << "See [3]";
        QTest::newRow("zero") << "See [0]" << 2 << "See [0]";
        QTest::newRow("markdown link") << "[1](https://x.org)" << 2 << "[1](https://x.org)";
        QTest::newRow("no sources") << "See [1]" << 0 << "See [1]";
        QTest::newRow("words") << "[note] and [1]" << 1 << "[note] and [\\[1\\]](facet-source:1)";
    }

    void citationsBecomeLinks() {
        QFETCH(QString, markdown);
        QFETCH(int, count);
        QFETCH(QString, expected);
        QCOMPARE(linkCitations(markdown, count), expected);
        if (count > 0 && expected != markdown) QCOMPARE(citationNumber("facet-source:1"), 1);
        QCOMPARE(citationNumber("https://x.org"), 0);
    }
};

QTEST_MAIN(TstAppChatDocuments)
#include "tst_app_chat_documents.moc"
