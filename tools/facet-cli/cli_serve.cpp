// facet-cli serve: the OpenAI-compatible API (app/server) on Facet's HTTP
// server (app/http) for one chat model and optionally an embedding model.
// When ready it prints exactly "listening on http://HOST:PORT" on stdout;
// tests and scripts wait for that line. Every /v1 route needs the API key
// unless --no-auth; a non-loopback --host needs --api-key.
#include <QCoreApplication>
#include <QFileInfo>
#include <QHostAddress>
#include <QRandomGenerator>
#include <QSocketNotifier>

#include <algorithm>
#include <csignal>
#include <cstdio>
#include <sys/socket.h>
#include <unistd.h>

#include "cli_common.h"
#include "embedding_engine.h"
#include "http_server.h"
#include "openai_api.h"
#include "session_engine.h"

namespace facet::cli {
namespace {

int gSignalFd = -1;  // write end of the self-pipe: signal handlers may only write()

void onSignal(int) {
    const char c = 1;
    if (gSignalFd >= 0) (void)!::write(gSignalFd, &c, 1);
}

// "sk-facet-" + base64url of 32 random bytes (secret scanners know the prefix).
QByteArray randomApiKey() {
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 8);
    return "sk-facet-" + bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

// The model's id on the API: its file name without .gguf.
QString modelId(const std::string& path) {
    QString name = QFileInfo(QString::fromStdString(path)).fileName();
    if (name.endsWith(QLatin1String(".gguf"), Qt::CaseInsensitive)) name.chop(5);
    return name;
}

}  // namespace

int commandServe(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--model", "--host", "--port", "--api-key", "--ctx", "--backend", "--device", "--embed-model",
                                        "--reasoning-field", "--mmproj"},
                            {"--no-auth", "--allow-image-urls"});
    if (!args.ok()) return fail(args.message());
    const Args& a = args.value();
    auto path = a.require("--model");
    if (!path.ok()) return fail(path.message());
    if (a.has("--api-key") && a.has("--no-auth")) return fail("give --api-key or --no-auth, not both");
    if (a.has("--api-key") && a.get("--api-key")->empty()) return fail("--api-key must not be empty");
    auto port = a.getInt("--port", 8080, 0, 65535);
    if (!port.ok()) return fail(port.message());
    auto ctx = a.getInt("--ctx", 4096, 16, 1 << 24);
    if (!ctx.ok()) return fail(ctx.message());
    const std::string backend = a.get("--backend").value_or("");
    if (!backend.empty() && backend != "vulkan" && backend != "cpu") return fail("--backend must be vulkan or cpu");

    const QString host = QString::fromStdString(a.get("--host").value_or("127.0.0.1"));
    QList<QHostAddress> addresses;
    if (host == QLatin1String("localhost")) {
        addresses = {QHostAddress(QHostAddress::LocalHost), QHostAddress(QHostAddress::LocalHostIPv6)};
    } else {
        QHostAddress addr;
        if (!addr.setAddress(host)) return fail("--host must be an IP address or localhost: " + host.toStdString());
        addresses = {addr};
    }
    const bool loopback = std::all_of(addresses.begin(), addresses.end(), [](const QHostAddress& h) { return h.isLoopback(); });
    if (!loopback && !a.has("--api-key"))
        return fail("refusing to listen on non-loopback host " + host.toStdString() + " without --api-key");

    int qtArgc = 1;
    char qtArg0[] = "facet-cli";
    char* qtArgv[] = {qtArg0, nullptr};
    QCoreApplication app(qtArgc, qtArgv);

    BackendChoice choice;
    choice.backend = backend;
    choice.device = a.get("--device").value_or("");
    choice.maxContext = static_cast<int>(ctx.value());
    auto engine = server::SessionEngine::open(path.value(), choice, a.get("--mmproj").value_or(""));
    if (!engine.ok()) return fail(engine.message());
    std::unique_ptr<server::EmbeddingEngine> embed;
    server::OpenAiApi::Options options;
    options.chatModelId = modelId(path.value());
    options.fetchImageUrls = a.has("--allow-image-urls");
    if (auto field = a.get("--reasoning-field")) {
        if (*field != "reasoning_content" && *field != "reasoning")
            return fail("--reasoning-field must be reasoning_content or reasoning");
        options.reasoningField = QString::fromStdString(*field);
    }
    if (auto embedPath = a.get("--embed-model")) {
        auto e = server::EmbeddingEngine::open(*embedPath);
        if (!e.ok()) return fail(e.message());
        embed = std::move(e.value());
        options.embedModelId = modelId(*embedPath);
        if (options.embedModelId == options.chatModelId) return fail("--embed-model has the same name as --model");
    }

    http::HttpServerOptions so;
    so.listenAddresses = addresses;
    so.port = static_cast<quint16>(port.value());
    // Room for a full queue (1 running + 32 waiting) twice over plus idle
    // keep-alive clients: past the queue a client gets 429, not a refused connection.
    so.maxConnections = 128;
    if (a.has("--api-key")) {
        so.apiKey = QByteArray::fromStdString(*a.get("--api-key"));
    } else if (!a.has("--no-auth")) {
        so.apiKey = randomApiKey();
        std::fprintf(stderr, "facet-cli: API key: %s\n", so.apiKey.constData());
    }
    server::OpenAiApi api(*engine.value(), embed.get(), options);
    http::HttpServer httpServer(so, api.handler());
    const QString error = httpServer.listen();
    if (!error.isEmpty()) return fail("cannot listen on " + host.toStdString() + ": " + error.toStdString());

    int fds[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, fds) != 0) return fail("socketpair failed");
    gSignalFd = fds[1];
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QSocketNotifier notifier(fds[0], QSocketNotifier::Read);
    QObject::connect(&notifier, &QSocketNotifier::activated, &app, [&] { app.quit(); });

    std::printf("listening on http://%s:%u\n", host.toUtf8().constData(), unsigned(httpServer.port()));
    std::fflush(stdout);
    app.exec();
    httpServer.close();
    std::signal(SIGINT, SIG_DFL);
    std::signal(SIGTERM, SIG_DFL);
    gSignalFd = -1;
    ::close(fds[0]);
    ::close(fds[1]);
    return 0;
}

}  // namespace facet::cli
