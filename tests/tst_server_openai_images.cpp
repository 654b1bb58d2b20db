// Pictures in chat requests: image_url parts with base64 data URLs decoded
// (the same picture the app's decoder gives), "detail" as the soft-token
// budget, errors with their param, a model without a projector refusing
// pictures, and http(s) addresses refused unless the server fetches them,
// then fetched with their bounds (status, size).
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include "image_fetcher.h"
#include "image_loader.h"
#include "openai_api.h"
#include "openai_request.h"
#include "support/openai_api_rig.h"
#include "support/test_http_server.h"
#include "support/test_paths.h"

using namespace facet;
using namespace facet::server;
using namespace facet::test;

namespace {

QByteArray pictureBytes() {
    QFile f(dataFile("vision/rings-60x40.png"));
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// A chat body whose user message holds `part` (a JSON object) and a text part.
QByteArray bodyWith(const QJsonObject& part, const QString& role = "user") {
    const QJsonArray content{part, QJsonObject{{"type", "text"}, {"text", "What is this?"}}};
    QJsonArray messages{QJsonObject{{"role", role}, {"content", content}}};
    if (role != "user") messages.append(QJsonObject{{"role", "user"}, {"content", "and?"}});
    return QJsonDocument(QJsonObject{{"model", "tiny-chat"}, {"messages", messages}}).toJson(QJsonDocument::Compact);
}

QJsonObject imagePart(const QString& url, const QString& detail = {}) {
    QJsonObject iu{{"url", url}};
    if (!detail.isEmpty()) iu["detail"] = detail;
    return QJsonObject{{"type", "image_url"}, {"image_url", iu}};
}

QString dataUrl(const QByteArray& bytes) { return "data:image/png;base64," + QString::fromLatin1(bytes.toBase64()); }

QString errorMessage(const FakeResponder& r) {
    return QJsonDocument::fromJson(r.body).object()["error"].toObject()["message"].toString();
}
QString errorParam(const FakeResponder& r) {
    return QJsonDocument::fromJson(r.body).object()["error"].toObject()["param"].toString();
}

}  // namespace

class TstServerOpenaiImages : public QObject {
    Q_OBJECT
private slots:
    void dataUrlsAreDecoded() {
        const QByteArray png = pictureBytes();
        QVERIFY(!png.isEmpty());
        auto r = parseChatRequest(bodyWith(imagePart(dataUrl(png))));
        QVERIFY2(r.ok(), r.ok() ? "" : qPrintable(r.error().message));
        const ChatMessage& m = r.value().messages.at(0);
        QCOMPARE(m.text, std::string("What is this?"));
        QCOMPARE(m.images.size(), size_t(1));
        QVERIFY(m.images[0]);
        auto direct = loadImageFile(dataFile("vision/rings-60x40.png"));
        QVERIFY(direct.ok());
        QCOMPARE(m.images[0]->key, makeChatImage(direct.value())->key);  // the same pixels
        QCOMPARE(m.images[0]->maxTokens, 0);
        QVERIFY(r.value().imageUrls.empty());
        // "detail" sets the budget; a bare string image_url is read too.
        auto high = parseChatRequest(bodyWith(imagePart(dataUrl(png), "high")));
        QVERIFY(high.ok());
        QCOMPARE(high.value().messages[0].images[0]->maxTokens, 1120);
        auto low = parseChatRequest(bodyWith(imagePart(dataUrl(png), "low")));
        QVERIFY(low.ok());
        QCOMPARE(low.value().messages[0].images[0]->maxTokens, 70);
        auto bare = parseChatRequest(bodyWith(QJsonObject{{"type", "image_url"}, {"image_url", dataUrl(png)}}));
        QVERIFY(bare.ok());
        QCOMPARE(bare.value().messages[0].images.size(), size_t(1));
    }

    void badPicturesAreRefused_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QString>("needle");
        const QByteArray png = pictureBytes();
        QTest::newRow("not base64") << bodyWith(imagePart("data:image/png,abc")) << "invalid_value"
                                    << "messages[0].content[0].image_url.url" << "base64";
        QTest::newRow("broken base64") << bodyWith(imagePart("data:image/png;base64,@@@")) << "invalid_value"
                                       << "messages[0].content[0].image_url.url" << "base64";
        QTest::newRow("not a picture") << bodyWith(imagePart(dataUrl("hello, I am text"))) << "invalid_value"
                                       << "messages[0].content[0].image_url.url" << "cannot be used";
        QTest::newRow("truncated picture") << bodyWith(imagePart(dataUrl(png.left(png.size() / 2)))) << "invalid_value"
                                           << "messages[0].content[0].image_url.url" << "cannot be used";
        QTest::newRow("ftp address") << bodyWith(imagePart("ftp://example.org/a.png")) << "invalid_value"
                                     << "messages[0].content[0].image_url.url" << "http";
        QTest::newRow("bad detail") << bodyWith(imagePart(dataUrl(png), "ultra")) << "invalid_value"
                                    << "messages[0].content[0].image_url.detail" << "detail";
        QTest::newRow("assistant picture") << bodyWith(imagePart(dataUrl(png)), "assistant") << "unsupported_parameter"
                                           << "messages[0].content[0].type" << "user messages";
    }
    void badPicturesAreRefused() {
        QFETCH(QByteArray, body);
        QFETCH(QString, code);
        QFETCH(QString, param);
        QFETCH(QString, needle);
        auto r = parseChatRequest(body);
        QVERIFY(!r.ok());
        QCOMPARE(r.error().status, 400);
        QCOMPARE(r.error().code, code);
        QCOMPARE(r.error().param, param);
        QVERIFY2(r.error().message.contains(needle), qPrintable(r.error().message));
    }

    void aModelWithoutProjectorRefusesPictures() {
        Rig rig;
        FakeResponder r;
        rig.post("/v1/chat/completions", bodyWith(imagePart(dataUrl(pictureBytes()))), r);
        QCOMPARE(r.status, 400);
        QVERIFY2(errorMessage(r).contains("cannot read pictures"), qPrintable(errorMessage(r)));
        QCOMPARE(rig.engine.started.load(), 0);

        rig.engine.vision = true;
        rig.engine.script = {ChatOutput{{}, "a ring", {}}};
        FakeResponder ok;
        rig.post("/v1/chat/completions", bodyWith(imagePart(dataUrl(pictureBytes()))), ok);
        QTRY_VERIFY_WITH_TIMEOUT(ok.ended, kHangMs);
        QCOMPARE(ok.status, 200);
        QCOMPARE(rig.engine.lastJob().messages.at(0).images.size(), size_t(1));
    }

    void addressesAreFetchedOnlyWhenAllowed() {
        TestHttpServer web;
        QVERIFY(web.listen());
        web.addFile("/rings.png", pictureBytes(), "image/png");
        const QString url = web.url("/rings.png").toString();

        Rig closed;
        closed.engine.vision = true;
        FakeResponder refused;
        closed.post("/v1/chat/completions", bodyWith(imagePart(url)), refused);
        QCOMPARE(refused.status, 400);
        QCOMPARE(errorParam(refused), QString("messages[0].content[0].image_url.url"));
        QVERIFY2(errorMessage(refused).contains("data URL"), qPrintable(errorMessage(refused)));

        Rig open(32, 0, "reasoning_content", true);
        open.engine.vision = true;
        open.engine.script = {ChatOutput{{}, "a ring", {}}};
        FakeResponder fetched;
        open.post("/v1/chat/completions", bodyWith(imagePart(url, "high")), fetched);
        QTRY_VERIFY_WITH_TIMEOUT(fetched.ended, kHangMs);
        QCOMPARE(fetched.status, 200);
        const EngineJob job = open.engine.lastJob();
        QCOMPARE(job.messages.at(0).images.size(), size_t(1));
        QVERIFY(job.messages[0].images[0]);
        QCOMPARE(job.messages[0].images[0]->picture.width, 60);
        QCOMPARE(job.messages[0].images[0]->maxTokens, 1120);

        FakeResponder missing;
        open.post("/v1/chat/completions", bodyWith(imagePart(web.url("/nothing.png").toString())), missing);
        QTRY_VERIFY_WITH_TIMEOUT(missing.status > 0, kHangMs);
        QCOMPARE(missing.status, 400);
        QVERIFY2(errorMessage(missing).contains("failed"), qPrintable(errorMessage(missing)));

        web.addFile("/huge.png", QByteArray(ImageFetcher::kMaxBytes + 1024, 'x'), "image/png");
        FakeResponder huge;
        open.post("/v1/chat/completions", bodyWith(imagePart(web.url("/huge.png").toString())), huge);
        QTRY_VERIFY_WITH_TIMEOUT(huge.status > 0, kHangMs);
        QCOMPARE(huge.status, 400);
        QVERIFY2(errorMessage(huge).contains("larger than"), qPrintable(errorMessage(huge)));
        QCOMPARE(open.engine.started.load(), 1);  // only the good one ran
    }
};

QTEST_GUILESS_MAIN(TstServerOpenaiImages)
#include "tst_server_openai_images.moc"
