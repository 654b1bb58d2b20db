#include "sse_parser.h"

#include <QObject>

QList<SseEvent> SseParser::feed(QByteArrayView bytes) {
    QList<SseEvent> out;
    if (!error_.isEmpty()) return out;
    qsizetype i = 0;
    if (skipLf_ && !bytes.isEmpty()) {
        if (bytes[0] == '\n') i = 1;
        skipLf_ = false;
    }
    while (i < bytes.size()) {
        qsizetype end = i;
        while (end < bytes.size() && bytes[end] != '\n' && bytes[end] != '\r') ++end;
        if (end == bytes.size()) {  // no line end yet: keep the rest for the next chunk
            pending_.append(bytes.sliced(i));
            if (pending_.size() > kMaxLineBytes) {
                error_ = QObject::tr("the server sent a line longer than %1 MiB").arg(kMaxLineBytes >> 20);
                pending_.clear();
            }
            break;
        }
        if (pending_.isEmpty()) {
            takeLine(bytes.sliced(i, end - i), out);
        } else {
            pending_.append(bytes.sliced(i, end - i));
            takeLine(pending_, out);
            pending_.clear();
        }
        i = end + 1;
        if (bytes[end] == '\r') {
            if (i < bytes.size()) {
                if (bytes[i] == '\n') ++i;
            } else {
                skipLf_ = true;
            }
        }
    }
    return out;
}

QList<SseEvent> SseParser::finish() {
    QList<SseEvent> out;
    if (!pending_.isEmpty()) {
        takeLine(pending_, out);
        pending_.clear();
    }
    dispatch(out);
    return out;
}

void SseParser::takeLine(QByteArrayView line, QList<SseEvent>& out) {
    if (firstLine_) {
        firstLine_ = false;
        if (line.startsWith("\xEF\xBB\xBF")) line = line.sliced(3);
    }
    if (line.isEmpty()) return dispatch(out);
    if (line[0] == ':') return;  // a comment, e.g. ": ping"
    const qsizetype colon = line.indexOf(':');
    const QByteArrayView field = colon < 0 ? line : line.first(colon);
    QByteArrayView value = colon < 0 ? QByteArrayView() : line.sliced(colon + 1);
    if (!value.isEmpty() && value[0] == ' ') value = value.sliced(1);
    if (field == "data") {
        if (hasData_) data_.append('\n');
        data_.append(value);
        hasData_ = true;
    } else if (field == "event") {
        event_ = value.toByteArray();
    }
}

void SseParser::dispatch(QList<SseEvent>& out) {
    if (hasData_) out.push_back({event_, data_});
    event_.clear();
    data_.clear();
    hasData_ = false;
}
