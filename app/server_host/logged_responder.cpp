#include "logged_responder.h"

using facet::http::HeaderList;

LoggedResponder::LoggedResponder(const facet::http::HttpRequest& request, facet::http::HttpResponder* target,
                                 Report report)
    : HttpResponder(target), target_(target), report_(std::move(report)) {
    entry_.method = QString::fromLatin1(request.method);
    entry_.path = QString::fromUtf8(request.path);
    clock_.start();
    connect(target, &HttpResponder::disconnected, this, [this] {
        complete(499);
        emit disconnected();
    });
}

void LoggedResponder::send(int status, const HeaderList& headers, const QByteArray& body) {
    if (target_) target_->send(status, headers, body);
    complete(status);
}

void LoggedResponder::beginStream(int status, const HeaderList& headers) {
    entry_.status = status;
    if (target_) target_->beginStream(status, headers);
}

void LoggedResponder::write(const QByteArray& data) {
    if (target_) target_->write(data);
}

void LoggedResponder::end() {
    if (target_) target_->end();
    complete(entry_.status);
}

bool LoggedResponder::isOpen() const { return target_ && target_->isOpen(); }

void LoggedResponder::noteUsage(int promptTokens, int completionTokens, double engineSeconds) {
    entry_.promptTokens = promptTokens;
    entry_.completionTokens = completionTokens;
    entry_.engineSeconds = engineSeconds;
}

void LoggedResponder::complete(int status) {
    if (reported_) return;
    reported_ = true;
    entry_.status = status;
    entry_.time = QDateTime::currentDateTime();
    entry_.durationSeconds = double(clock_.nsecsElapsed()) / 1e9;
    if (report_) report_(entry_);
}
