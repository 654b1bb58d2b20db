#include "support/test_paths.h"

#include <QtGlobal>

namespace facet::test {

// Each path can be overridden by the environment variable of the same name
// (scripts/gpu-check.sh --prebuilt runs the binaries away from their build tree).
static QString pathOr(const char* env, const char* builtIn) {
    return qEnvironmentVariable(env, QString::fromUtf8(builtIn));
}

QString dataDir() { return pathOr("FACET_TEST_DATA", FACET_TEST_DATA); }
QString dataFile(const QString& name) { return dataDir() + QLatin1Char('/') + name; }
QString tokenizerJsonPath() { return pathOr("FACET_TOKENIZER_JSON", FACET_TOKENIZER_JSON); }
QString mkmodelPath() { return pathOr("FACET_MKMODEL", FACET_MKMODEL); }
QString cliPath() { return pathOr("FACET_CLI", FACET_CLI); }

}  // namespace facet::test
