#include "safe_xml.h"

namespace facet::docs {

SafeXml::SafeXml(const QByteArray& data, const QString& what, const Deadline& deadline)
    : reader_(data), what_(what), deadline_(deadline) {
    reader_.setNamespaceProcessing(true);
    reader_.setEntityExpansionLimit(1024);
}

bool SafeXml::next() {
    if (!failure_.ok()) return false;
    if (reader_.atEnd()) return false;
    const auto t = reader_.readNext();
    if (t == QXmlStreamReader::DTD && (reader_.text().contains(u"<!ENTITY") || !reader_.entityDeclarations().isEmpty())) {
        failure_ = errorf("xml entity bomb: %s declares XML entities", qPrintable(what_));
        return false;
    }
    if (reader_.hasError()) {
        const QString msg = reader_.errorString();
        failure_ = msg.contains(u"entity", Qt::CaseInsensitive) && msg.contains(u"limit", Qt::CaseInsensitive)
                       ? errorf("xml entity bomb: %s: %s", qPrintable(what_), qPrintable(msg))
                       : errorf("corrupt: %s line %lld: %s", qPrintable(what_), (long long)reader_.lineNumber(),
                                qPrintable(msg));
        return false;
    }
    if (deadline_.expired()) {
        failure_ = errorf("timeout: reading %s took longer than %lld ms", qPrintable(what_), (long long)deadline_.limitMs());
        return false;
    }
    return t != QXmlStreamReader::EndDocument;
}

QString SafeXml::elementText() {
    QString out;
    int depth = 1;
    while (depth > 0 && next()) {
        if (reader_.isStartElement()) ++depth;
        else if (reader_.isEndElement()) --depth;
        else if (reader_.isCharacters()) out += reader_.text();
    }
    return out;
}

QString attribute(const QXmlStreamReader& r, const QString& name) {
    for (const auto& a : r.attributes())
        if (a.qualifiedName() == name || a.name() == name) return a.value().toString();
    return {};
}

}  // namespace facet::docs
