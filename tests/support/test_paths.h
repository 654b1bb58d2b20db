// Where tests find their data and tools (set by tests/CMakeLists.txt).
#pragma once

#include <QString>

namespace facet::test {

QString dataDir();            // tests/data in the source tree
QString dataFile(const QString& name);
QString tokenizerJsonPath();  // real Gemma tokenizer.json fetched by the fixture
QString mkmodelPath();        // facet-mkmodel executable
QString cliPath();            // facet-cli executable

}  // namespace facet::test
