// QXmlStreamReader set up for untrusted files. Qt 6.4 caps entity expansion
// (entityExpansionLimit, 4096 characters by default) but still expands small
// nested entities; DOCX/ODT/EPUB never need a DTD with entities, so any
// <!ENTITY declaration is refused outright as a possible entity bomb.
#pragma once

#include <QByteArray>
#include <QString>
#include <QXmlStreamReader>

#include "core/result.h"
#include "extract_limits.h"

namespace facet::docs {

class SafeXml {
public:
    SafeXml(const QByteArray& data, const QString& what, const Deadline& deadline);

    // Next token; false at the end or on an error (then `failure()` says why).
    bool next();
    QXmlStreamReader& reader() { return reader_; }
    // Text of the current element and its descendants (reads to its end).
    QString elementText();
    // "xml entity bomb: ...", "corrupt: ...", "timeout: ..." or ok.
    Status failure() const { return failure_; }

private:
    QXmlStreamReader reader_;
    QString what_;
    const Deadline& deadline_;
    Status failure_;
};

// Local name and namespace-less attribute lookup helpers.
QString attribute(const QXmlStreamReader& r, const QString& qualifiedOrLocal);

}  // namespace facet::docs
