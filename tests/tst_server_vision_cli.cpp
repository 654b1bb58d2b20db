// `facet-cli serve --mmproj` end to end: a picture sent as an OpenAI
// image_url data URL reaches the model as `facet-cli generate --image` gives
// it (the same greedy answer, the same prompt size), and a server started
// without a projector refuses pictures with a 400 that says why.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QtTest>

#include "support/cli_run.h"
#include "support/hang_guard.h"
#include "support/test_paths.h"

namespace ft = facet::test;
using ft::kHangMs;

namespace {

QString v(const QString& name) { return ft::dataFile("vision/" + name); }

// Waits for "listening on http://127.0.0.1:PORT" on the child's stdout; 0 if it never came.
int waitForListening(QProcess& p) {
    QByteArray out;
    QElapsedTimer t;
    t.start();
    while (!out.contains('\n') && p.state() != QProcess::NotRunning && t.elapsed() < kHangMs) {
        p.waitForReadyRead(1000);
        out += p.readAllStandardOutput();
    }
    const QString line = QString::fromUtf8(out).trimmed(), prefix = "listening on http://127.0.0.1:";
    return line.startsWith(prefix) ? line.mid(prefix.size()).toInt() : 0;
}

QByteArray chatWithPicture(const QString& picture) {
    QFile f(v(picture));
    if (!f.open(QIODevice::ReadOnly)) return {};
    const QJsonArray content{
        QJsonObject{{"type", "image_url"},
                    {"image_url", QJsonObject{{"url", "data:image/png;base64," + QString::fromLatin1(f.readAll().toBase64())}}}},
        QJsonObject{{"type", "text"}, {"text", "Describe the picture."}}};
    const QJsonObject o{{"model", "e2b-like-vis"},
                        {"max_tokens", 6},
                        {"temperature", 0},
                        {"messages", QJsonArray{QJsonObject{{"role", "user"}, {"content", content}}}}};
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

class Server {
public:
    explicit Server(const QStringList& extra) {
        p_.setProcessEnvironment(ft::headlessEnvironment());
        p_.start(ft::cliPath(), QStringList{"serve", "--model", v("e2b-like-vis.gguf"), "--port", "0", "--backend", "cpu",
                                            "--ctx", "256", "--no-auth"} + extra);
        if (p_.waitForStarted(kHangMs)) port_ = waitForListening(p_);
    }
    ~Server() {
        p_.terminate();
        if (!p_.waitForFinished(kHangMs)) p_.kill();
    }
    int port() const { return port_; }
    QString errors() { return QString::fromUtf8(p_.readAllStandardError()); }
    QJsonObject post(const QByteArray& body, int& status) {
        QNetworkRequest req(QUrl(QString("http://127.0.0.1:%1/v1/chat/completions").arg(port_)));
        req.setHeader(QNetworkRequest::ContentTypeHeader, "application/json");
        QNetworkReply* r = net_.post(req, body);
        QSignalSpy done(r, &QNetworkReply::finished);
        if (!r->isFinished()) done.wait(kHangMs);
        status = r->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        const QJsonObject o = QJsonDocument::fromJson(r->readAll()).object();
        r->deleteLater();
        return o;
    }

private:
    QProcess p_;
    int port_ = 0;
    QNetworkAccessManager net_;
};

}  // namespace

class TstServerVisionCli : public QObject {
    Q_OBJECT
private slots:
    void aPictureAnswersAsGenerateDoes() {
        const ft::ProcessOutcome gen = ft::runProgram(
            ft::cliPath(), {"generate", "--model", v("e2b-like-vis.gguf"), "--mmproj", v("mmproj-v-tiny.gguf"), "--image",
                            v("gradient-96x96.png"), "--prompt", "Describe the picture.", "-n", "6", "--temp", "0",
                            "--backend", "cpu"});
        QVERIFY2(gen.exitCode == 0, qPrintable(gen.err));
        Server server({"--mmproj", v("mmproj-v-tiny.gguf")});
        QVERIFY2(server.port() > 0, qPrintable(server.errors()));
        int status = 0;
        const QJsonObject o = server.post(chatWithPicture("gradient-96x96.png"), status);
        QCOMPARE(status, 200);
        const QJsonObject message = o["choices"].toArray().at(0).toObject()["message"].toObject();
        QCOMPARE(message["content"].toString(), gen.out.chopped(1));
        QCOMPARE(o["usage"].toObject()["prompt_tokens"].toInt(), 95);  // 7 + 64 soft tokens + 24
        // Another picture, another answer.
        const QJsonObject rings = server.post(chatWithPicture("rings-60x40.png"), status);
        QCOMPARE(status, 200);
        QCOMPARE(rings["usage"].toObject()["prompt_tokens"].toInt(), 79);  // 48 soft tokens
    }

    void withoutProjectorPicturesAre400() {
        Server server({});
        QVERIFY2(server.port() > 0, qPrintable(server.errors()));
        int status = 0;
        const QJsonObject o = server.post(chatWithPicture("gradient-96x96.png"), status);
        QCOMPARE(status, 400);
        const QString message = o["error"].toObject()["message"].toString();
        QVERIFY2(message.contains("cannot read pictures") && message.contains("--mmproj"), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TstServerVisionCli)
#include "tst_server_vision_cli.moc"
