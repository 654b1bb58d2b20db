// The user message that asks the chat model to answer from the passages:
// instructions, the passages numbered [1]..[n] with their sources, then the
// question (documents-qa.md §6.3.6-7, §6.4). It must fit the context by
// itself, so the lowest-ranked passages are dropped first and the last one
// left is cut short; with no passage the model is told so and asked to say
// that nothing was found.
#pragma once

#include <QString>

#include <functional>
#include <vector>

#include "answer_passages.h"
#include "core/result.h"

namespace facet::docs {

struct AnswerPrompt {
    QString message;                     // the whole user message
    std::vector<AnswerPassage> passages; // those kept, in citation order: [1] is passages[0]
    int dropped = 0;                     // passages left out to fit
    bool trimmed = false;                // the last kept passage was cut short
};

// Tokens `message` takes in the prompt (the chat template included).
using PromptTokenCounter = std::function<int(const QString& message)>;

// `passages` best first. Fails only when the question alone exceeds `budget`.
Result<AnswerPrompt> buildAnswerPrompt(const QString& question, std::vector<AnswerPassage> passages, int budget,
                                       const PromptTokenCounter& countTokens);

}  // namespace facet::docs
