// Retrieval for a chat with document libraries attached, the app's twin of
// `facet-cli docs ask` (tools/facet-cli/cli_docs_ask.cpp): search every
// attached index (hybrid without an embedder, i.e. keyword BM25), fuse the
// libraries' lists by reciprocal rank, merge neighbouring chunks into
// passages and number them into the one user message the model answers.
// It opens SQLite files and counts tokens, so it runs on the engine thread
// (EngineWorker), never on the UI thread.
#pragma once

#include <QList>
#include <QString>
#include <QStringList>

#include "answer_prompt.h"
#include "core/result.h"
#include "document_sources.h"

struct DocumentRetrieval {
    QString prompt;                // the user message sent in place of the question
    QList<MessageSource> sources;  // in citation order: [n] is sources[n - 1]
    QStringList skipped;           // "file: reason" for libraries that could not be searched
    int dropped = 0;               // passages left out to fit the context
};

// Chunks taken from each library before fusing, and passages kept after
// (the CLI's default -k is 5; neighbours merging makes fewer passages).
constexpr int kChunksPerLibrary = 8;
constexpr int kChunksFused = 6;

// `budget`: tokens the user message may take (see buildAnswerPrompt).
// Fails only when the question alone exceeds the budget; unreadable
// libraries are skipped and named in `skipped`.
facet::Result<DocumentRetrieval> retrieveForQuestion(const QStringList& libraries, const QString& question, int budget,
                                                     const facet::docs::PromptTokenCounter& countTokens);
