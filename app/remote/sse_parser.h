// SseParser: an incremental parser of Server-Sent Events (WHATWG HTML
// §9.2.6, "text/event-stream"), fed whatever bytes the network delivers:
// a line, an event or a UTF-8 character may be split across any two
// chunks. Lines end with CRLF, LF or CR; ":" starts a comment (keep-alive
// pings); "data:" lines of one event join with "\n"; a blank line ends the
// event. Field values lose one leading space ("data:x" == "data: x").
// Only "event" and "data" matter to OpenAI streams; "id" and "retry" are
// ignored. A line longer than maxLineBytes is an error (a hostile server
// cannot make the client buffer without bound).
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QList>
#include <QString>

struct SseEvent {
    QByteArray event;  // "" when the event had no "event:" line ("message")
    QByteArray data;
};

class SseParser {
public:
    static constexpr qsizetype kMaxLineBytes = 8 * 1024 * 1024;

    // Parses `bytes` and returns the events they completed.
    QList<SseEvent> feed(QByteArrayView bytes);
    // End of the stream: an event still open (no blank line after it) is
    // returned too, because some servers close right after the last "data:".
    QList<SseEvent> finish();
    // Set when a line grew past kMaxLineBytes; feed() then ignores input.
    QString error() const { return error_; }

private:
    void takeLine(QByteArrayView line, QList<SseEvent>& out);
    void dispatch(QList<SseEvent>& out);

    QByteArray pending_;      // bytes of the unfinished line
    bool skipLf_ = false;     // the last chunk ended with CR: a leading LF belongs to it
    bool firstLine_ = true;   // a UTF-8 BOM may open the stream
    QByteArray event_, data_;
    bool hasData_ = false;
    QString error_;
};
