// Rerank of retrieved passages by the loaded Gemma 4 model: each candidate
// becomes a one-turn chat ("Does this passage help answer the question? ...
// Answer yes or no."), the model prefills it and the logits of its first
// answer token give score = logit(yes) − logit(no); candidates are reordered
// by that score, ties keeping the fused order. Runs on the engine thread
// through the ChatSession's own KV cache (see sessionScorer for the cost).
#pragma once

#include <QString>

#include <functional>
#include <vector>

#include "core/result.h"
#include "doc_index.h"

namespace facet {
class ChatSession;
class Tokenizer;
}  // namespace facet

// Candidates scored per question: the fused top, before neighbours merge.
constexpr int kRerankCandidates = 12;

// A passage's score for a question, higher is more relevant.
using PassageScorer = std::function<facet::Result<double>(const QString& question, const QString& passage)>;

// The user message the model judges. The question comes before the passage,
// so that consecutive candidates share their prefix in the KV cache.
QString rerankMessage(const QString& question, const QString& passage);

// The first token of each spelling ("yes", "Yes" / "no", "No"): what the
// model's answer starts with. A Gemma vocabulary has each as one token; a
// small test vocabulary may split them, and then their first pieces stand in.
struct YesNoIds {
    std::vector<int> yes, no;
};
facet::Result<YesNoIds> yesNoIds(const facet::Tokenizer& tokenizer);

// log Σ exp(logit) over the yes spellings minus the same over the no
// spellings: with one id each, logit(yes) − logit(no).
double yesNoScore(const std::vector<float>& logits, const YesNoIds& ids);

// A scorer that asks `session`'s model (ChatSession::nextTokenLogits). Each
// call prefills only what differs from the previous prompt (the passage and
// the closing line); the cache then holds the judged prompt, so the reply
// after a rerank prefills its conversation again from <bos>: that, plus one
// prefill per candidate, is the cost. `session` must outlive the scorer.
facet::Result<PassageScorer> sessionScorer(facet::ChatSession& session);

// `hits` reordered by `score` (best first, stable), the first `keep` of them.
// `scores` (optional) receives the kept hits' scores in the same order.
facet::Result<std::vector<facet::docs::SearchHit>> rerankHits(std::vector<facet::docs::SearchHit> hits,
                                                              const QString& question, const PassageScorer& score,
                                                              int keep, std::vector<double>* scores = nullptr);
