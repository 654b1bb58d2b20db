#include "support/test_paths.h"

namespace facet::test {

QString dataDir() { return QStringLiteral(FACET_TEST_DATA); }
QString dataFile(const QString& name) { return dataDir() + QLatin1Char('/') + name; }
QString tokenizerJsonPath() { return QStringLiteral(FACET_TOKENIZER_JSON); }
QString mkmodelPath() { return QStringLiteral(FACET_MKMODEL); }
QString cliPath() { return QStringLiteral(FACET_CLI); }

}  // namespace facet::test
