// User text to an FTS5 MATCH expression that can never be a syntax error:
// only letters, digits and underscores survive, each term is a quoted string,
// and terms are OR-ed so bm25 ranks partial matches too.
#pragma once

#include <QString>

namespace facet::docs {

// "" when the text holds no searchable term (the caller returns no hits).
QString ftsMatchExpression(const QString& userText);

}  // namespace facet::docs
