// The server-thread end of one generation: the engine thread posts its
// start, deltas and outcome here (queued calls keep their order), and the
// relay turns them into SSE events or one JSON body on the responder. It
// outlives the responder if the client leaves (QPointer), and deletes itself
// once the outcome is handled or the queue drops its work unrun.
#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

#include "api_error.h"
#include "chat/tool_syntax.h"
#include "generation_job.h"
#include "http_handler.h"
#include "openai_response.h"

namespace facet::server {

class GenerationRelay : public QObject {
    Q_OBJECT
public:
    struct Setup {
        ResponseIdentity identity;
        ChunkFormatter::Kind kind = ChunkFormatter::Kind::Chat;
        bool stream = false;
        bool includeUsage = false;
        bool withReasoning = false;  // non-stream chat: reasoning_content (thinking was on)
        http::HeaderList extraHeaders;
        int keepaliveMs = 0;         // > 0 and queued: ": queued" comments this often
    };
    GenerationRelay(http::HttpResponder* responder, Setup setup);

    // Server thread, right after the work was queued: headers and the role
    // chunk now (streams), and a ": queued" comment when others are ahead.
    void admitted(bool queuedBehindOthers);
    // Posted from the engine thread.
    void started();
    void delta(const ChatOutput& d);
    void finish(const Result<GenerationOutcome>& outcome);

private:
    void write(const QByteArray& data);

    QPointer<http::HttpResponder> responder_;
    Setup setup_;
    ChunkFormatter chunks_;
    ChatOutput total_;
    ToolCallStream toolStream_;         // generated calls → OpenAI tool_calls
    std::vector<ToolCallOut> toolCalls_;
    QTimer keepalive_;
};

// Runs `f` on `target`'s thread (queued; dropped if target is gone by then).
template <typename F>
void postTo(QObject* target, F&& f) {
    QMetaObject::invokeMethod(target, std::forward<F>(f), Qt::QueuedConnection);
}

}  // namespace facet::server
