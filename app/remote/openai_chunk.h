// What one streamed chat-completion chunk (openai-server.md §2.1) says, and
// readable text for error bodies. Thinking arrives as "reasoning_content"
// (llama.cpp, LM Studio, Jan, older vLLM) or "reasoning" (vLLM >= 0.9,
// Ollama, OpenRouter); both are read (§2.2).
#pragma once

#include <QByteArray>
#include <QString>
#include <QVariantMap>

struct ChatChunk {
    QString thinking, answer;
    QString finishReason;  // "" until the last choice chunk
    QVariantMap usage;     // prompt_tokens, completion_tokens, total_tokens when the chunk has them
    QString error;         // a mid-stream {"error": ...} event, or JSON that does not parse
};

// One "data:" payload (not "[DONE]").
ChatChunk parseChatChunk(const QByteArray& json);
// A whole non-streamed "chat.completion" (choices[0].message), for servers
// that answer stream=true with one JSON document.
ChatChunk parseChatCompletion(const QByteArray& json);

// The message of an error body in any of the shapes servers send:
// {"error":{"message":..}} (OpenAI, llama.cpp, vLLM), {"error":".."} (Ollama
// native), {"message":..}, {"detail":..} (FastAPI); else the body's first line.
QString errorBodyMessage(const QByteArray& body);

// "The server refused the API key (HTTP 401): <message>" and the like.
QString httpErrorText(int status, const QByteArray& body);

struct ModelEntry {
    QString id;
    int contextLength = 0;  // max_model_len (vLLM), context_length, meta.n_ctx_train (llama.cpp); 0 unknown
};

// GET /v1/models' {"data":[{"id":..}, ..]}; error says what is wrong with it.
QList<ModelEntry> parseModelList(const QByteArray& json, QString* error);
