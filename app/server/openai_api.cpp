#include "openai_api.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include "generation_relay.h"
#include "image_fetcher.h"

namespace facet::server {
namespace {

http::HeaderList jsonHeaders(http::HeaderList extra = {}) {
    extra.push_back({"Content-Type", "application/json"});
    return extra;
}

http::HeaderList ignoredHeader(const QStringList& ignored) {
    if (ignored.isEmpty()) return {};
    return {{"X-Facet-Ignored-Params", ignored.join(QLatin1Char(',')).toUtf8()}};
}

ApiError notFound(const QByteArray& path) {
    return ApiError{404, QStringLiteral("not_found_error"), QStringLiteral("not_found"), {},
                    QStringLiteral("No route %1").arg(QString::fromUtf8(path)), {}, 0};
}

ApiError methodNotAllowed(const QByteArray& method, const QByteArray& path) {
    return ApiError{405, QStringLiteral("invalid_request_error"), QStringLiteral("method_not_allowed"), {},
                    QStringLiteral("%1 is not allowed on %2").arg(QString::fromUtf8(method), QString::fromUtf8(path)),
                    {}, 0};
}

}  // namespace

void sendError(http::HttpResponder* responder, const ApiError& error, http::HeaderList headers) {
    if (error.retryAfterSeconds > 0) headers.push_back({"Retry-After", QByteArray::number(error.retryAfterSeconds)});
    responder->send(error.status, jsonHeaders(headers), errorBody(error));
}

OpenAiApi::OpenAiApi(CompletionEngine& engine, EmbeddingEngine* embeddings, Options options, QObject* parent)
    : QObject(parent), engine_(engine), embeddings_(embeddings), options_(std::move(options)),
      queue_(std::make_unique<RequestQueue>(options_.queueCapacity)),
      startedAt_(QDateTime::currentSecsSinceEpoch()) {}

OpenAiApi::~OpenAiApi() = default;

http::HttpHandler OpenAiApi::handler() {
    return [this](const http::HttpRequest& request, http::HttpResponder* responder) { handle(request, responder); };
}

void OpenAiApi::handle(const http::HttpRequest& request, http::HttpResponder* responder) {
    const QByteArray& path = request.path;
    const bool get = request.method == "GET" || request.method == "HEAD";
    const bool post = request.method == "POST";
    if (path == "/health") {
        if (!get) return sendError(responder, methodNotAllowed(request.method, path));
        return responder->send(200, jsonHeaders(), R"({"status":"ok"})");
    }
    if (path == "/v1/models" || path.startsWith("/v1/models/")) {
        if (!get) return sendError(responder, methodNotAllowed(request.method, path));
        return models(path, responder);
    }
    using Route = void (OpenAiApi::*)(const http::HttpRequest&, http::HttpResponder*);
    Route route = nullptr;
    if (path == "/v1/chat/completions") route = &OpenAiApi::chatCompletions;
    else if (path == "/v1/completions") route = &OpenAiApi::textCompletions;
    else if (path == "/v1/embeddings") route = &OpenAiApi::embeddings;
    if (!route) return sendError(responder, notFound(path));
    if (!post) return sendError(responder, methodNotAllowed(request.method, path));
    (this->*route)(request, responder);
}

QString OpenAiApi::chatModelId() const {
    const std::string id = engine_.modelId();
    return id.empty() ? options_.chatModelId : QString::fromStdString(id);
}

void OpenAiApi::models(const QByteArray& path, http::HttpResponder* responder) {
    std::vector<ModelEntry> list;
    if (engine_.modelLoaded()) list.push_back({chatModelId(), engine_.contextSize()});
    if (embeddings_) list.push_back({options_.embedModelId, embeddings_->contextSize()});
    if (path == "/v1/models") return responder->send(200, jsonHeaders(), modelListBody(list, startedAt_));
    const QString id = QString::fromUtf8(path.mid(int(sizeof("/v1/models/")) - 1));
    for (const ModelEntry& m : list)
        if (m.id == id) return responder->send(200, jsonHeaders(), modelObjectBody(m, startedAt_));
    sendError(responder, modelNotFound(id));
}

QNetworkAccessManager& OpenAiApi::network() {
    if (!network_) network_ = std::make_unique<QNetworkAccessManager>();
    return *network_;
}

void OpenAiApi::chatCompletions(const http::HttpRequest& request, http::HttpResponder* responder) {
    auto parsed = parseChatRequest(request.body);
    if (!parsed.ok()) return sendError(responder, parsed.error());
    const ChatRequest& r = parsed.value();
    const bool pictures = std::any_of(r.messages.begin(), r.messages.end(),
                                      [](const ChatMessage& m) { return !m.images.empty(); });
    if (pictures && engine_.modelLoaded() && !engine_.seesImages())
        return sendError(responder, invalidValue(QStringLiteral("messages"),
                                                 QStringLiteral("The model '%1' cannot read pictures: it runs without a "
                                                                "vision projector (facet-cli serve --mmproj PATH)")
                                                     .arg(chatModelId())));
    EngineJob job;
    job.chat = true;
    job.messages = r.messages;
    job.thinking = r.thinking;
    job.grammar = r.tools.grammar;
    job.banToolCalls = r.tools.choice == ToolUse::Choice::None;
    if (r.imageUrls.empty()) return generate(job, r.params, true, responder);
    if (!options_.fetchImageUrls)
        return sendError(responder, invalidValue(r.imageUrls.front().param,
                                                 QStringLiteral("This server does not fetch pictures from the web; send "
                                                                "the picture as a base64 data URL (data:image/png;base64,...)")));
    // Fetched first (asynchronously), then generated like any request.
    auto* fetcher = new ImageFetcher(
        network(), r.imageUrls,
        [this, job, params = r.params, urls = r.imageUrls, client = QPointer<http::HttpResponder>(responder)](
            std::vector<std::shared_ptr<const ChatImage>> images, std::optional<ApiError> error) mutable {
            if (!client) return;
            if (error) return sendError(client, *error);
            for (size_t i = 0; i < urls.size(); ++i) job.messages[urls[i].message].images[urls[i].image] = images[i];
            generate(job, params, true, client);
        },
        this);
    connect(responder, &http::HttpResponder::disconnected, fetcher, &QObject::deleteLater);
    fetcher->start();
}

void OpenAiApi::textCompletions(const http::HttpRequest& request, http::HttpResponder* responder) {
    auto parsed = parseCompletionRequest(request.body);
    if (!parsed.ok()) return sendError(responder, parsed.error());
    EngineJob job;
    job.chat = false;
    job.prompt = parsed.value().prompt;
    generate(job, parsed.value().params, false, responder);
}

void OpenAiApi::generate(const EngineJob& base, const GenerationParams& p, bool chat, http::HttpResponder* responder) {
    const http::HeaderList extra = ignoredHeader(p.ignored);
    if (!engine_.modelLoaded()) return sendError(responder, noModelLoaded(), extra);
    const QString modelId = chatModelId();
    if (p.model != modelId) return sendError(responder, modelNotFound(p.model), extra);
    EngineJob job = base;
    job.sampling = p.sampling;
    job.maxTokens = p.maxTokens;
    // Counted here, before anything is sent, so a prompt that does not fit is
    // a 400 even for a stream (never silently truncated).
    auto n = engine_.promptTokens(job);
    if (!n.ok()) return sendError(responder, invalidValue(QStringLiteral("messages"), QString::fromStdString(n.message())), extra);
    if (n.value() >= engine_.contextSize())
        return sendError(responder, contextLengthExceeded(n.value(), engine_.contextSize()), extra);

    GenerationRelay::Setup setup;
    setup.identity.id = newCompletionId(chat ? QStringLiteral("chatcmpl-") : QStringLiteral("cmpl-"));
    setup.identity.created = QDateTime::currentSecsSinceEpoch();
    setup.identity.model = modelId;
    setup.kind = chat ? ChunkFormatter::Kind::Chat : ChunkFormatter::Kind::Text;
    setup.stream = p.stream;
    setup.includeUsage = p.includeUsage;
    setup.withReasoning = chat && job.thinking;
    setup.extraHeaders = extra;
    setup.keepaliveMs = options_.keepaliveMs;
    setup.identity.reasoningField = options_.reasoningField;
    auto* relay = new GenerationRelay(responder, setup);
    const bool behindOthers = queue_->busy();
    CompletionEngine* engine = &engine_;
    const std::vector<std::string> stop = p.stop;
    QPointer<OpenAiApi> api(this);
    auto ticket = queue_->submit([engine, job, stop, relay, api, responder](const std::atomic<bool>& cancel) {
        postTo(relay, [relay] { relay->started(); });
        QElapsedTimer clock;
        clock.start();
        auto out = runGeneration(*engine, job, stop, &cancel,
                                 [relay](const ChatOutput& d) { postTo(relay, [relay, d] { relay->delta(d); }); });
        const double seconds = double(clock.nsecsElapsed()) / 1e9;
        postTo(relay, [relay, out, api, responder, seconds] {
            const EngineOutcome used = out.ok() ? out.value().engine : EngineOutcome{};
            if (api) emit api->generationFinished(responder, used.promptTokens, used.completionTokens, seconds);
            relay->finish(out);
        });
    });
    if (track(ticket, relay, responder, extra)) relay->admitted(behindOthers);
}

bool OpenAiApi::track(std::optional<uint64_t> ticket, QObject* relay, http::HttpResponder* responder,
                      const http::HeaderList& extra) {
    if (!ticket) {
        delete relay;
        sendError(responder, queueFull(options_.retryAfterSeconds), extra);
        return false;
    }
    const uint64_t t = *ticket;
    RequestQueue* queue = queue_.get();
    // Withdrawn unrun: nothing will post to the relay any more. Running: the
    // cancel flag stops it within a token and the job's end cleans up.
    connect(responder, &http::HttpResponder::disconnected, relay, [queue, t, relay] {
        if (queue->cancel(t)) relay->deleteLater();
    });
    return true;
}

void OpenAiApi::embeddings(const http::HttpRequest& request, http::HttpResponder* responder) {
    auto parsed = parseEmbeddingRequest(request.body);
    if (!parsed.ok()) return sendError(responder, parsed.error());
    const EmbeddingRequest& r = parsed.value();
    const http::HeaderList extra = ignoredHeader(r.ignored);
    if (!embeddings_ || r.model != options_.embedModelId)
        return sendError(responder, modelNotFound(r.model), extra);
    if (r.dimensions > embeddings_->dimensions())
        return sendError(responder, invalidValue(QStringLiteral("dimensions"),
                                                 QStringLiteral("'dimensions' must be at most %1 for this model")
                                                     .arg(embeddings_->dimensions())),
                         extra);
    int total = 0;
    for (int n : embeddings_->tokenCounts(r.input)) {
        if (n > embeddings_->contextSize()) return sendError(responder, contextLengthExceeded(n, embeddings_->contextSize()), extra);
        total += n;
    }
    // A plain QObject relay: the engine thread posts the result to it.
    auto* relay = new QObject();
    QPointer<http::HttpResponder> target(responder);
    EmbeddingEngine* engine = embeddings_;
    const QString model = r.model;
    const bool base64 = r.base64;
    const int dim = r.dimensions;
    const std::vector<std::string> input = r.input;
    auto ticket = queue_->submit([engine, input, dim, relay, target, model, base64, total, extra](const std::atomic<bool>&) {
        auto vectors = engine->embed(input, dim);
        postTo(relay, [relay, target, vectors, model, base64, total, extra] {
            relay->deleteLater();
            if (!target || !target->isOpen()) return;
            if (!vectors.ok()) return sendError(target, serverError(QString::fromStdString(vectors.message())), extra);
            target->send(200, jsonHeaders(extra), embeddingsBody(model, vectors.value(), base64, total));
        });
    });
    track(ticket, relay, responder, extra);
}

}  // namespace facet::server
