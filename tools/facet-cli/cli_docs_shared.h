// What the `facet-cli docs` actions share: the Qt application they run in
// and opening the index named by --db.
#pragma once

#include <QCoreApplication>

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "doc_index.h"

namespace facet::cli {

// QtPdf (and QTextDocument, for HTML) need a QGuiApplication: `add` makes one,
// offscreen when there is no display; the other actions need only Qt Core.
std::unique_ptr<QCoreApplication> makeApp(bool gui);

// search/ask/status/remove read an existing index; only add creates one.
Result<std::unique_ptr<docs::DocIndex>> openIndex(const std::string& db, bool create);

int docsAsk(const std::vector<std::string>& argv);  // cli_docs_ask.cpp

}  // namespace facet::cli
