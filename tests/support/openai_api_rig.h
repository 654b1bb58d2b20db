// The OpenAI-compatible API without a model or sockets, for the
// tst_server_openai* tests: a fake HttpResponder that records what would go
// on the wire, a scripted CompletionEngine (gated, so queue tests can hold it)
// and a Rig that wires them to an OpenAiApi.
#pragma once

#include <QtTest>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>

#include "completion_engine.h"
#include "openai_api.h"
#include "support/hang_guard.h"

namespace facet::test {

using namespace facet::server;

class FakeResponder : public http::HttpResponder {
public:
    int status = -1;
    http::HeaderList headers;
    QByteArray body;
    bool streamed = false, ended = false, gone = false;

    void send(int s, const http::HeaderList& h, const QByteArray& b) override {
        if (!isOpen()) return;
        status = s;
        headers = h;
        body = b;
        ended = true;
    }
    void beginStream(int s, const http::HeaderList& h) override {
        if (!isOpen()) return;
        status = s;
        headers = h;
        streamed = true;
    }
    void write(const QByteArray& d) override {
        if (isOpen()) body += d;
    }
    void end() override { ended = true; }
    bool isOpen() const override { return !ended && !gone; }
    void drop() {
        gone = true;
        emit disconnected();
    }
    QByteArray header(const QByteArray& name) const {
        for (const auto& h : headers)
            if (h.first.compare(name, Qt::CaseInsensitive) == 0) return h.second;
        return {};
    }
    QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    QJsonObject error() const { return json().value("error").toObject(); }
};

// Emits `script` in order; gated, each delta waits for a permit first (then
// checks cancel), so a test can stop it between two tokens.
class ScriptedEngine : public CompletionEngine {
public:
    int ctx = 64;
    int prompt = 10;
    int cached = 0;
    std::vector<ChatOutput> script;
    EngineStop stop = EngineStop::StopToken;
    bool failAtEnd = false;
    bool gated = false;
    bool vision = false;  // seesImages()
    std::atomic<int> emitted{0}, started{0}, finished{0};

    void release(int n) {
        std::lock_guard<std::mutex> l(m_);
        permits_ += n;
        cv_.notify_all();
    }
    void openGate() {
        std::lock_guard<std::mutex> l(m_);
        open_ = true;
        cv_.notify_all();
    }
    EngineJob lastJob() {
        std::lock_guard<std::mutex> l(m_);
        return last_;
    }

    int contextSize() const override { return ctx; }
    bool seesImages() const override { return vision; }
    Result<int> promptTokens(const EngineJob&) const override { return prompt; }
    Result<EngineOutcome> run(const EngineJob& job, const std::atomic<bool>* cancel,
                              const std::function<bool(const ChatOutput&)>& onDelta) override {
        {
            std::lock_guard<std::mutex> l(m_);
            last_ = job;
        }
        ++started;
        EngineOutcome out{prompt, 0, cached, stop};
        for (const ChatOutput& d : script) {
            if (gated) {
                std::unique_lock<std::mutex> l(m_);
                cv_.wait(l, [this] { return permits_ > 0 || open_; });
                if (permits_ > 0) --permits_;
            }
            if (cancel && cancel->load()) {
                out.stop = EngineStop::Halted;
                ++finished;
                return out;
            }
            ++emitted;
            ++out.completionTokens;
            if (!onDelta(d)) {
                out.stop = EngineStop::Halted;
                ++finished;
                return out;
            }
        }
        ++finished;
        if (failAtEnd) return errorf("device lost");
        return out;
    }

private:
    std::mutex m_;
    std::condition_variable cv_;
    int permits_ = 0;
    bool open_ = false;
    EngineJob last_;
};

// The engine outlives the API (its queue thread runs the engine); a gated
// engine is opened before the queue joins its thread.
struct Rig {
    ScriptedEngine engine;
    std::unique_ptr<OpenAiApi> api;
    explicit Rig(int capacity = 32, int keepaliveMs = 0, const QString& reasoningField = "reasoning_content",
                 bool fetchImageUrls = false) {
        OpenAiApi::Options o;
        o.fetchImageUrls = fetchImageUrls;
        o.reasoningField = reasoningField;
        o.chatModelId = "tiny-chat";
        o.queueCapacity = capacity;
        o.keepaliveMs = keepaliveMs;
        api = std::make_unique<OpenAiApi>(engine, nullptr, o);
    }
    ~Rig() {
        engine.openGate();
        api.reset();
    }
    void post(const QByteArray& path, const QByteArray& body, FakeResponder& r) {
        http::HttpRequest req;
        req.method = "POST";
        req.path = path;
        req.body = body;
        api->handle(req, &r);
    }
    void get(const QByteArray& path, FakeResponder& r) {
        http::HttpRequest req;
        req.method = "GET";
        req.path = path;
        api->handle(req, &r);
    }
};

inline ChatOutput answer(const char* s) { return ChatOutput{{}, s, {}}; }
inline ChatOutput thought(const char* s) { return ChatOutput{s, {}, {}}; }

inline const QByteArray kChat = "{\"model\":\"tiny-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

}  // namespace facet::test
