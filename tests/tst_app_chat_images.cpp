// Pictures in the chat, end to end on the CPU backend with the tiny vision
// pair of tests/data/vision (a text model and its mmproj beside it, so
// findProjector pairs them): attach, send (the picture goes through the
// vision tower once, its file is kept in the conversation's folder and named
// on the message), reload, regenerate and edit without encoding again,
// delete the conversation and its folder, hostile files refused with their
// reason, a model without a projector refusing pictures and answering past
// ones without them, a pasted clipboard picture, a stored picture gone from
// disk, the "more detail" setting giving a picture more soft tokens, and a
// remote model refusing pictures and getting a conversation's text only.
#include <QAbstractItemModelTester>
#include <QBuffer>
#include <QClipboard>
#include <QDir>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QMimeData>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include "chat_controller.h"
#include "chat_images.h"
#include "model_info_controller.h"
#include "support/fake_openai_server.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"

using namespace facet::test;

namespace {

QByteArray readAll(const QString& path) {
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

bool writeFile(const QString& path, const QByteArray& bytes) {
    QFile f(path);
    return QDir().mkpath(QFileInfo(path).path()) && f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QString visionFile(const QString& name) { return dataFile(QStringLiteral("vision/") + name); }

}  // namespace

class TstAppChatImages : public QObject {
    Q_OBJECT

    QTemporaryDir dir_;
    QString visionModel_;  // with mmproj-v-tiny.gguf beside it
    QString plainModel_;   // the same model alone in its folder: no image input
    QString gradient_, rings_;
    int instances_ = 0;

    // One database per test (dbName), settings of its own per controller.
    std::unique_ptr<ChatController> make(const QString& dbName) {
        auto c = std::make_unique<ChatController>();
        c->setDatabasePath(dir_.filePath(dbName + "/chats.sqlite"));
        c->setBackend("cpu");
        c->settings()->setFile(dir_.filePath(QString("settings-%1.ini").arg(++instances_)));
        c->settings()->setContextLength(1024);
        c->settings()->setMaxTokens(6);
        c->settings()->setTemperature(0.0);
        return c;
    }

    static bool load(ChatController& c, const QString& path) {
        c.loadModel(path);
        return QTest::qWaitFor([&] { return !c.loading(); }, kHangMs) && c.modelLoaded();
    }

    static bool waitReply(ChatController& c) {
        QSignalSpy done(&c, &ChatController::replyFinished);
        return !c.generating() || done.wait(kHangMs);
    }

    // Attaches `paths` and waits until they are checked.
    static bool attach(ChatController& c, const QStringList& paths) {
        QList<QUrl> urls;
        for (const QString& p : paths) urls << QUrl::fromLocalFile(p);
        c.attachImages(urls);
        return QTest::qWaitFor([&] { return !c.attachments()->busy(); }, kHangMs);
    }

    static QString databaseDir(const ChatController& c) { return QFileInfo(c.databasePath()).absolutePath(); }

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        visionModel_ = dir_.filePath("vision/e2b-like-vis.gguf");
        plainModel_ = dir_.filePath("plain/e2b-like-vis.gguf");
        QVERIFY(writeFile(visionModel_, readAll(visionFile("e2b-like-vis.gguf"))));
        QVERIFY(writeFile(dir_.filePath("vision/mmproj-v-tiny.gguf"), readAll(visionFile("mmproj-v-tiny.gguf"))));
        QVERIFY(writeFile(plainModel_, readAll(visionFile("e2b-like-vis.gguf"))));
        gradient_ = visionFile("gradient-96x96.png");
        rings_ = visionFile("rings-60x40.png");
        QVERIFY(QFileInfo::exists(gradient_) && QFileInfo::exists(rings_));
    }

    // A message row names a picture only inside its conversation's folder:
    // anything else (a hostile or damaged database) is never opened.
    void storedPathsStayInTheirFolder_data() {
        QTest::addColumn<QString>("relative");
        QTest::addColumn<QString>("absolute");
        QTest::newRow("stored") << "images/3/0123456789abcdef.png" << "/data/images/3/0123456789abcdef.png";
        QTest::newRow("parent folder") << "../secret.png" << "";
        QTest::newRow("climbs out") << "images/3/../../0123456789abcdef.png" << "";
        QTest::newRow("absolute") << "/etc/0123456789abcdef.png" << "";
        QTest::newRow("not a hash") << "images/3/photo.png" << "";
        QTest::newRow("empty") << "" << "";
    }
    void storedPathsStayInTheirFolder() {
        QFETCH(QString, relative);
        QFETCH(QString, absolute);
        QCOMPARE(chatimages::absolutePath("/data/chats.sqlite", relative), absolute);
    }

    // The model panel's facts say whether the model sees pictures, and with which projector.
    void modelInfoNamesTheProjector_data() {
        QTest::addColumn<bool>("paired");
        QTest::newRow("with mmproj beside it") << true;
        QTest::newRow("alone") << false;
    }
    void modelInfoNamesTheProjector() {
        QFETCH(bool, paired);
        ModelInfoController info;
        QSignalSpy changed(&info, &ModelInfoController::modelChanged);
        info.openModel(paired ? visionModel_ : plainModel_);
        QVERIFY(changed.wait(kHangMs));
        QString fact;
        for (int r = 0; r < info.facts()->rowCount(); ++r) {
            const QModelIndex i = info.facts()->index(r);
            if (i.data(int(ModelFactsModel::Role::Key)).toString() == "image input")
                fact = i.data(int(ModelFactsModel::Role::Value)).toString();
        }
        if (paired)
            QCOMPARE(fact, QString("yes, with mmproj-v-tiny.gguf"));
        else
            QVERIFY2(fact.startsWith("no: ") && fact.contains("no mmproj"), qPrintable(fact));
    }

    void sendsAPictureAndKeepsIt() {
        qint64 conv = 0, userId = 0;
        QString stored;
        {
            auto c = make("send");
            QAbstractItemModelTester tester(c->attachments(), QAbstractItemModelTester::FailureReportingMode::QtTest);
            QVERIFY2(load(*c, visionModel_), qPrintable(c->banner()));
            QVERIFY(c->modelSeesImages());
            QCOMPARE(c->imageInputNote(), QString("mmproj-v-tiny.gguf"));

            QVERIFY(attach(*c, {gradient_}));
            QCOMPARE(c->attachments()->count(), 1);
            const QModelIndex row = c->attachments()->index(0);
            QCOMPARE(row.data(AttachmentListModel::FileNameRole).toString(), QString("gradient-96x96.png"));
            QCOMPARE(row.data(AttachmentListModel::SizeRole).toLongLong(), QFileInfo(gradient_).size());
            QVERIFY(row.data(AttachmentListModel::DescriptionRole).toString().contains("96×96"));
            const QString staged = row.data(AttachmentListModel::ThumbnailRole).toUrl().toLocalFile();
            QCOMPARE(readAll(staged), readAll(gradient_));  // the original bytes, staged

            QVERIFY(c->send("What is in the picture?"));
            QCOMPARE(c->attachments()->count(), 0);  // sent with the message
            QVERIFY(waitReply(*c));
            QVERIFY2(c->banner().isEmpty(), qPrintable(c->banner()));
            QCOMPARE(c->lastStats().value("imagesEncoded").toInt(), 1);
            QVERIFY(c->lastStats().value("encodeSeconds").toDouble() > 0);
            QVERIFY2(c->imageStats().startsWith("1 picture"), qPrintable(c->imageStats()));
            const int promptTokens = c->lastStats().value("promptTokens").toInt();
            QVERIFY2(promptTokens > 64, "the picture's 64 soft tokens are not in the prompt");

            conv = c->currentConversation();
            const StoredMessage user = c->messages()->items().first();
            userId = user.id;
            QCOMPARE(user.images.size(), 1);
            stored = user.images.first();
            QVERIFY2(stored.startsWith(QString("images/%1/").arg(conv)) && stored.endsWith(".png"), qPrintable(stored));
            const QString file = databaseDir(*c) + "/" + stored;
            QCOMPARE(readAll(file), readAll(gradient_));
            QVERIFY(!QFileInfo::exists(staged));  // moved, not copied
            QCOMPARE(c->store().messages(conv).first().images, QStringList{stored});
            const QVariantList shown = c->messages()->index(0).data(MessageListModel::ImagesRole).toList();
            QCOMPARE(shown.size(), 1);
            QCOMPARE(shown.first().toMap().value("source").toUrl(), QUrl::fromLocalFile(file));

            // Regenerate: the same picture, from the session's caches. (One
            // token per reply: the tiny model's 8-token sliding window lets
            // the KV cache rewind only that far, so the second regenerate
            // shows the picture kept in the KV cache too.)
            c->settings()->setMaxTokens(1);
            for (int i = 0; i < 2; ++i) {
                QVERIFY(c->regenerate());
                QVERIFY(waitReply(*c));
                QCOMPARE(c->lastStats().value("imagesEncoded").toInt(), 0);
                QCOMPARE(c->lastStats().value("promptTokens").toInt(), promptTokens);
            }
            QCOMPARE(c->lastStats().value("reusedTokens").toInt(), promptTokens - 1);
            c->settings()->setMaxTokens(6);

            // Edit and resend: the edited message keeps its picture.
            QVERIFY(c->editAndResend(userId, "Describe it again"));
            QVERIFY(waitReply(*c));
            QCOMPARE(c->messages()->rowCount(), 2);
            QCOMPARE(c->messages()->items().first().text, QString("Describe it again"));
            QCOMPARE(c->messages()->items().first().images, QStringList{stored});
            QCOMPARE(c->lastStats().value("imagesEncoded").toInt(), 0);

            // A follow-up without a picture: the earlier one is not encoded again.
            QVERIFY(c->send("And its colors?"));
            QVERIFY(waitReply(*c));
            QCOMPARE(c->lastStats().value("imagesEncoded").toInt(), 0);
            QVERIFY(c->lastStats().value("promptTokens").toInt() > promptTokens);
        }
        // An app restart: the message still has its picture, and a fresh
        // session encodes it from the stored file.
        auto c = make("send");
        c->search("");
        c->selectConversation(conv);
        QCOMPARE(c->messages()->rowCount(), 4);
        QCOMPARE(c->messages()->items().first().images, QStringList{stored});
        QVERIFY(load(*c, visionModel_));
        QVERIFY(c->regenerate());
        QVERIFY(waitReply(*c));
        QVERIFY2(c->banner().isEmpty(), qPrintable(c->banner()));
        QCOMPARE(c->lastStats().value("imagesEncoded").toInt(), 1);
    }

    void severalPicturesInOneMessage() {
        auto c = make("several");
        QVERIFY(load(*c, visionModel_));
        QVERIFY(attach(*c, {gradient_, rings_, gradient_}));
        QCOMPARE(c->attachments()->count(), 3);
        QVERIFY(c->removeAttachment(2));
        QVERIFY(!c->removeAttachment(5));
        QCOMPARE(c->attachments()->count(), 2);
        QVERIFY(c->send(""));  // pictures alone are a message
        QVERIFY(waitReply(*c));
        QCOMPARE(c->lastStats().value("imagesEncoded").toInt(), 2);
        const QStringList images = c->messages()->items().first().images;
        QCOMPARE(images.size(), 2);
        QVERIFY(images[0].endsWith(".png") && images[1].endsWith(".png") && images[0] != images[1]);
        QCOMPARE(readAll(databaseDir(*c) + "/" + images[1]), readAll(rings_));
        QCOMPARE(c->conversations()->items().first().title, QString("Picture"));
    }

    void deletingAConversationRemovesItsPictures() {
        auto c = make("delete");
        QVERIFY(load(*c, visionModel_));
        QVERIFY(attach(*c, {rings_}));
        QVERIFY(c->send("Look"));
        QVERIFY(waitReply(*c));
        const qint64 conv = c->currentConversation();
        const QString folder = chatimages::conversationFolder(c->databasePath(), conv);
        QVERIFY(QFileInfo::exists(folder + "/" + QFileInfo(c->messages()->items().first().images.first()).fileName()));

        c->deleteConversation(conv);
        c->undoDelete();  // undone: nothing removed
        QCOMPARE(c->conversations()->count(), 1);
        c->deleteConversation(conv);
        QVERIFY(QFileInfo::exists(folder));  // still undoable
        c->commitPendingDelete();
        QVERIFY(c->store().messages(conv).isEmpty());
        QTRY_VERIFY_WITH_TIMEOUT(!QFileInfo::exists(folder), kHangMs);
    }

    void refusesHostileFiles_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("reason");
        const QByteArray png = readAll(visionFile("gradient-96x96.png"));
        QTest::newRow("truncated PNG") << png.left(png.size() / 2) << "cut.png" << "cannot decode";
        QTest::newRow("text named .png") << QByteArray("just some words\n") << "words.png" << "not a picture";
        QTest::newRow("empty file") << QByteArray() << "empty.png" << "empty";
        QImage wide(20000, 1, QImage::Format_Grayscale8);  // wider than any picture may be (16384)
        wide.fill(0);
        QByteArray widePng;
        QBuffer buffer(&widePng);
        buffer.open(QIODevice::WriteOnly);
        wide.save(&buffer, "PNG");
        QTest::newRow("20000 pixels wide") << widePng << "wide.png" << "20000×1 pixels, expected at most 16384";
    }

    void refusesHostileFiles() {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, name);
        QFETCH(QString, reason);
        const QString path = dir_.filePath("hostile/" + name);
        QVERIFY(writeFile(path, bytes));
        auto c = make("hostile");  // no model loaded: attaching is allowed, checked at once
        QVERIFY(attach(*c, {path}));
        QCOMPARE(c->attachments()->count(), 0);
        QVERIFY2(c->banner().startsWith(name + ":"), qPrintable(c->banner()));
        QVERIFY2(c->banner().contains(reason), qPrintable(c->banner()));
    }

    void refusesAMissingFileAndARemoteUrl() {
        auto c = make("hostile");
        QVERIFY(attach(*c, {dir_.filePath("no-such-picture.png")}));
        QCOMPARE(c->attachments()->count(), 0);
        QVERIFY2(c->banner().contains("no-such-picture.png: cannot open"), qPrintable(c->banner()));
        QCOMPARE(c->attachImages({QUrl("https://example.com/cat.png")}), 0);
        QVERIFY2(c->banner().contains("only pictures on this computer"), qPrintable(c->banner()));
    }

    void modelWithoutProjectorRefusesPictures() {
        auto c = make("plain");
        QVERIFY(load(*c, visionModel_));
        QVERIFY(attach(*c, {gradient_}));
        QVERIFY(c->send("Here"));
        QVERIFY(waitReply(*c));

        QVERIFY(load(*c, plainModel_));
        QVERIFY(!c->modelSeesImages());
        QVERIFY2(c->imageInputNote().contains("no mmproj"), qPrintable(c->imageInputNote()));
        QCOMPARE(c->attachImages({QUrl::fromLocalFile(rings_)}), 0);
        QVERIFY2(c->banner().contains("does not see pictures"), qPrintable(c->banner()));
        QVERIFY2(c->banner().contains("Models page"), qPrintable(c->banner()));
        QVERIFY(!c->attachments()->busy());
        QCOMPARE(c->attachments()->count(), 0);
        c->dismissBanner();
        QGuiApplication::clipboard()->setImage(QImage(gradient_));
        QVERIFY(c->pasteImages());  // taken (nothing to paste as text), refused with the reason
        QVERIFY(c->banner().contains("does not see pictures"));
        QCOMPARE(c->attachments()->count(), 0);

        // The earlier picture is left out of a follow-up, and the notice says so.
        QVERIFY(c->send("Text only now"));
        QVERIFY(waitReply(*c));
        QCOMPARE(c->lastStats().value("imagesLeftOut").toInt(), 1);
        QVERIFY2(c->notice().contains("left out"), qPrintable(c->notice()));
        QCOMPARE(c->messages()->rowCount(), 4);
    }

    void pastesAClipboardPicture() {
        auto c = make("paste");
        QClipboard* clipboard = QGuiApplication::clipboard();
        const QImage picture(rings_);
        QVERIFY(!picture.isNull());
        clipboard->setImage(picture);
        QVERIFY(c->pasteImages());  // no model yet: allowed
        QTRY_COMPARE_WITH_TIMEOUT(c->attachments()->count(), 1, kHangMs);
        QCOMPARE(c->attachments()->items().first().fileName, QString("Pasted picture"));
        const QString staged = c->attachments()->items().first().staged;
        QVERIFY(staged.endsWith(".png"));
        QCOMPARE(QImage(staged).convertToFormat(QImage::Format_RGB888), picture.convertToFormat(QImage::Format_RGB888));

        clipboard->setText("plain words");
        QVERIFY(!c->pasteImages());  // text is pasted as text
        auto* both = new QMimeData;
        both->setText("cells as text");
        both->setImageData(picture);
        clipboard->setMimeData(both);
        QVERIFY(!c->pasteImages());  // text wins over a picture of it
        auto* files = new QMimeData;
        files->setUrls({QUrl::fromLocalFile(gradient_), QUrl::fromLocalFile(dir_.filePath("notes.txt"))});
        clipboard->setMimeData(files);
        QVERIFY(c->pasteImages());  // copied picture files
        QTRY_COMPARE_WITH_TIMEOUT(c->attachments()->count(), 2, kHangMs);
        QVERIFY(!c->attachments()->busy());
        QCOMPARE(c->attachments()->items().last().fileName, QString("gradient-96x96.png"));
        auto* bytes = new QMimeData;  // a browser's copied picture: its bytes, kept as they are
        bytes->setData("image/png", readAll(gradient_));
        clipboard->setMimeData(bytes);
        QVERIFY(c->pasteImages());
        QTRY_COMPARE_WITH_TIMEOUT(c->attachments()->count(), 3, kHangMs);
        QCOMPARE(c->attachments()->items().last().fileName, QString("Pasted picture"));
        QCOMPARE(readAll(c->attachments()->items().last().staged), readAll(gradient_));
        QVERIFY(c->removeAttachment(2));  // the same picture as row 1: its staged file stays for row 1
        QVERIFY(QFileInfo::exists(c->attachments()->items().last().staged));

        QVERIFY(load(*c, visionModel_));
        QVERIFY(c->send("Two pictures"));
        QVERIFY(waitReply(*c));
        QCOMPARE(c->lastStats().value("imagesEncoded").toInt(), 2);
        QCOMPARE(c->messages()->items().first().images.size(), 2);
    }

    void remoteModelGetsTextOnly() {
        FakeOpenAiServer server;
        QVERIFY(server.listen());
        server.chatBody = answerScript("reasoning_content");
        qputenv("FACET_DATA_DIR", dir_.filePath("remote-data").toUtf8());  // where RemoteServers keeps its file
        auto c = make("remote");
        qunsetenv("FACET_DATA_DIR");  // read once, by the controller's RemoteServers
        QHash<QString, QString> keyring;
        c->remotes()->setSecretStore(std::make_unique<MemoryKeyring>(&keyring));
        QVERIFY(load(*c, visionModel_));
        QVERIFY(attach(*c, {rings_}));
        QVERIFY(c->send("A picture first"));
        QVERIFY(waitReply(*c));

        QVERIFY(c->remotes()->save("Fake server", server.baseUrl(), "sk-test", false));
        QVERIFY(QTest::qWaitFor([&] { return !c->remotes()->modelKeys().isEmpty(); }, kHangMs));
        QVERIFY(load(*c, c->remotes()->modelKeys().first()));
        QVERIFY(!c->modelSeesImages());
        QCOMPARE(c->attachImages({QUrl::fromLocalFile(gradient_)}), 0);
        QVERIFY2(c->banner().contains("remote model"), qPrintable(c->banner()));
        QCOMPARE(c->attachments()->count(), 0);

        QVERIFY(c->send("Now in words"));
        QVERIFY(waitReply(*c));
        const QJsonArray messages =
            QJsonDocument::fromJson(server.requests.last().body).object().value("messages").toArray();
        QCOMPARE(messages.size(), 3);
        for (const QJsonValue& m : messages) QVERIFY(m.toObject().value("content").isString());  // no picture parts
        QCOMPARE(messages[0].toObject().value("content").toString(), QString("A picture first"));
        QVERIFY2(c->notice().contains("not sent"), qPrintable(c->notice()));
        QCOMPARE(c->messages()->items().first().images.size(), 1);  // still kept with the conversation
    }

    void missingStoredPictureIsLeftOut() {
        qint64 conv = 0;
        QString file;
        {
            auto c = make("missing");
            QVERIFY(load(*c, visionModel_));
            QVERIFY(attach(*c, {rings_}));
            QVERIFY(c->send("Keep this"));
            QVERIFY(waitReply(*c));
            conv = c->currentConversation();
            file = databaseDir(*c) + "/" + c->messages()->items().first().images.first();
        }
        QVERIFY(QFile::remove(file));
        auto c = make("missing");
        c->selectConversation(conv);
        QCOMPARE(c->messages()->items().first().images.size(), 1);  // the view shows its placeholder
        QVERIFY(load(*c, visionModel_));
        QVERIFY(c->regenerate());
        QVERIFY(waitReply(*c));
        QVERIFY2(c->banner().isEmpty(), qPrintable(c->banner()));
        QCOMPARE(c->lastStats().value("imagesEncoded").toInt(), 0);
        QCOMPARE(c->lastStats().value("imageErrors").toStringList().size(), 1);
        QVERIFY2(c->notice().contains("could not be read"), qPrintable(c->notice()));
    }

    // 240×240 needs 400 soft tokens (12-pixel cells): the default budget
    // (280) shrinks it, "more detail" (1120) does not.
    void moreDetailGivesAPictureMoreTokens() {
        const QString big = dir_.filePath("big.png");
        QImage image(240, 240, QImage::Format_RGB888);
        for (int y = 0; y < 240; ++y)
            for (int x = 0; x < 240; ++x) image.setPixel(x, y, qRgb(x, y, (x * y) & 255));
        QVERIFY(image.save(big));
        int tokens[2] = {0, 0};
        for (bool detail : {false, true}) {
            auto c = make(detail ? "detail" : "plain-detail");
            c->settings()->setImageDetail(detail);
            QCOMPARE(c->settings()->sampling().value("imageTokens").toInt(), detail ? 1120 : 280);
            QVERIFY(load(*c, visionModel_));
            QVERIFY(attach(*c, {big}));
            QVERIFY(c->send("Read it"));
            QVERIFY(waitReply(*c));
            QVERIFY2(c->banner().isEmpty(), qPrintable(c->banner()));
            tokens[detail] = c->lastStats().value("promptTokens").toInt();
        }
        QVERIFY2(tokens[1] > tokens[0] + 100, qPrintable(QString("%1 vs %2").arg(tokens[1]).arg(tokens[0])));
        ChatSettings again;
        again.setFile(dir_.filePath(QString("settings-%1.ini").arg(instances_)));
        QVERIFY(again.imageDetail());  // persisted
    }
};

QTEST_MAIN(TstAppChatImages)
#include "tst_app_chat_images.moc"
