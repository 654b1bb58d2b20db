#include "generation_relay.h"

namespace facet::server {

GenerationRelay::GenerationRelay(http::HttpResponder* responder, Setup setup)
    : responder_(responder), setup_(std::move(setup)), chunks_(setup_.identity, setup_.kind, setup_.includeUsage) {
    keepalive_.setInterval(setup_.keepaliveMs);
    connect(&keepalive_, &QTimer::timeout, this, [this] { write(ChunkFormatter::queuedComment()); });
}

void GenerationRelay::write(const QByteArray& data) {
    if (responder_ && !data.isEmpty()) responder_->write(data);
}

void GenerationRelay::admitted(bool queuedBehindOthers) {
    if (!setup_.stream || !responder_) return;
    http::HeaderList headers = setup_.extraHeaders;
    headers.push_back({"Content-Type", "text/event-stream; charset=utf-8"});
    headers.push_back({"Cache-Control", "no-cache"});
    headers.push_back({"X-Accel-Buffering", "no"});
    responder_->beginStream(200, headers);
    write(chunks_.roleChunk());
    if (queuedBehindOthers) {
        write(ChunkFormatter::queuedComment());
        if (setup_.keepaliveMs > 0) keepalive_.start();
    }
}

void GenerationRelay::started() { keepalive_.stop(); }

void GenerationRelay::delta(const ChatOutput& d) {
    total_.thinking += d.thinking;
    total_.answer += d.answer;
    if (setup_.stream) write(chunks_.deltaChunk(d));
    for (const ToolCallEvent& e : toolStream_.feed(d.toolCalls)) {
        if (e.kind == ToolCallEvent::Begin) {
            toolCalls_.push_back({newCompletionId(QStringLiteral("call_")), QString::fromStdString(e.text), QString()});
            if (setup_.stream) write(chunks_.toolCallChunk(e.index, toolCalls_.back(), true, {}));
        } else if (e.kind == ToolCallEvent::Arguments) {
            const QString piece = QString::fromStdString(e.text);
            toolCalls_[e.index].arguments += piece;
            if (setup_.stream) write(chunks_.toolCallChunk(e.index, toolCalls_[e.index], false, piece));
        }
    }
}

void GenerationRelay::finish(const Result<GenerationOutcome>& outcome) {
    keepalive_.stop();
    deleteLater();
    if (!responder_ || !responder_->isOpen()) return;
    if (!outcome.ok()) {
        const ApiError e = serverError(QString::fromStdString(outcome.message()));
        if (setup_.stream) {
            write(ChunkFormatter::errorEvent(e));
            responder_->end();
        } else {
            http::HeaderList headers = setup_.extraHeaders;
            headers.push_back({"Content-Type", "application/json"});
            responder_->send(e.status, headers, errorBody(e));
        }
        return;
    }
    const GenerationOutcome& g = outcome.value();
    const Usage usage{g.engine.promptTokens, g.engine.completionTokens, g.engine.cachedTokens};
    const QString reason = g.finishReason == QLatin1String("stop") && !toolCalls_.empty() ? QStringLiteral("tool_calls")
                                                                                           : g.finishReason;
    if (setup_.stream) {
        write(chunks_.finishChunk(reason));
        write(chunks_.usageChunk(usage));
        write(ChunkFormatter::done());
        responder_->end();
        return;
    }
    http::HeaderList headers = setup_.extraHeaders;
    headers.push_back({"Content-Type", "application/json"});
    const QByteArray body =
        setup_.kind == ChunkFormatter::Kind::Chat
            ? chatCompletionBody(setup_.identity, total_, setup_.withReasoning, reason, usage, toolCalls_)
            : textCompletionBody(setup_.identity, total_.answer, reason, usage);
    responder_->send(200, headers, body);
}

}  // namespace facet::server
