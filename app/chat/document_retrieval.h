// Retrieval for a chat with document libraries attached, the app's twin of
// `facet-cli docs ask` (tools/facet-cli/cli_docs_ask.cpp): search every
// attached index (hybrid with the embedding model the index was built with,
// keyword BM25 when it has none or the model cannot be opened), fuse the
// libraries' lists by reciprocal rank, optionally rerank the fused top with
// the chat model (passage_reranker.h), merge neighbouring chunks into
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
#include "passage_reranker.h"

class DocEmbedderCache;

struct DocumentRetrieval {
    QString prompt;                // the user message sent in place of the question
    QList<MessageSource> sources;  // in citation order: [n] is sources[n - 1]
    // "file: reason" for libraries that could not be searched, or were
    // searched by keyword only because their embedding model is missing; and
    // "rerank: reason" when the rerank failed and the fused order stood.
    QStringList skipped;
    bool reranked = false;         // the passages are in the model's rerank order
    int dropped = 0;               // passages left out to fit the context
};

// Chunks taken from each library before fusing, and passages kept after
// (the CLI's default -k is 5; neighbours merging makes fewer passages).
constexpr int kChunksPerLibrary = 8;
constexpr int kChunksFused = 6;

struct RetrievalOptions {
    // Opens the indexes' embedding models (meta embed_model_path, checked
    // against embed_model_id); null: keyword search only.
    DocEmbedderCache* embedders = nullptr;
    // Reorders the fused top kRerankCandidates before kChunksFused are kept;
    // empty: the fused order stands.
    PassageScorer rerank;
};

// `budget`: tokens the user message may take (see buildAnswerPrompt).
// Fails only when the question alone exceeds the budget; unreadable
// libraries are skipped and named in `skipped`.
facet::Result<DocumentRetrieval> retrieveForQuestion(const QStringList& libraries, const QString& question, int budget,
                                                     const facet::docs::PromptTokenCounter& countTokens,
                                                     const RetrievalOptions& options = {});
