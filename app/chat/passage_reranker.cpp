#include "passage_reranker.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "runtime/chat_session.h"
#include "tokenizer/tokenizer.h"

using facet::docs::SearchHit;

QString rerankMessage(const QString& question, const QString& passage) {
    return QStringLiteral("Does this passage help answer the question? Answer yes or no.\n\nQuestion: %1\n\nPassage: %2\n\n"
                          "Does the passage help answer the question? Answer yes or no.")
        .arg(question.trimmed(), passage.trimmed());
}

facet::Result<YesNoIds> yesNoIds(const facet::Tokenizer& tokenizer) {
    YesNoIds out;
    const auto firstIds = [&](std::initializer_list<const char*> words, std::vector<int>& ids) {
        for (const char* w : words) {
            const std::vector<int> enc = tokenizer.encode(w);
            if (!enc.empty() && std::find(ids.begin(), ids.end(), enc.front()) == ids.end()) ids.push_back(enc.front());
        }
    };
    firstIds({"yes", "Yes"}, out.yes);
    firstIds({"no", "No"}, out.no);
    if (out.yes.empty() || out.no.empty()) return facet::errorf("rerank: the vocabulary cannot spell yes and no");
    for (int id : out.yes)
        if (std::find(out.no.begin(), out.no.end(), id) != out.no.end())
            return facet::errorf("rerank: yes and no start with the same token (%d) in this vocabulary", id);
    return out;
}

namespace {
double logSumExp(const std::vector<float>& logits, const std::vector<int>& ids) {
    double top = -INFINITY;
    for (int id : ids) top = std::max(top, double(logits[size_t(id)]));
    double sum = 0;
    for (int id : ids) sum += std::exp(double(logits[size_t(id)]) - top);
    return top + std::log(sum);
}
}  // namespace

double yesNoScore(const std::vector<float>& logits, const YesNoIds& ids) {
    return logSumExp(logits, ids.yes) - logSumExp(logits, ids.no);
}

facet::Result<PassageScorer> sessionScorer(facet::ChatSession& session) {
    FACET_ASSIGN(YesNoIds ids, yesNoIds(session.tokenizer()));
    const int vocab = session.model().desc().vocab;
    for (const std::vector<int>* list : {&ids.yes, &ids.no})
        for (int id : *list)
            if (id < 0 || id >= vocab) return facet::errorf("rerank: token %d is outside the vocabulary of %d", id, vocab);
    return PassageScorer([&session, ids](const QString& question, const QString& passage) -> facet::Result<double> {
        facet::ChatMessage m;
        m.role = facet::ChatMessage::User;
        m.text = rerankMessage(question, passage).toStdString();
        FACET_ASSIGN(auto logits, session.nextTokenLogits({m}));
        return yesNoScore(logits, ids);
    });
}

facet::Result<std::vector<SearchHit>> rerankHits(std::vector<SearchHit> hits, const QString& question,
                                                 const PassageScorer& score, int keep, std::vector<double>* scores) {
    std::vector<double> s;
    for (const SearchHit& h : hits) {
        FACET_ASSIGN(double v, score(question, h.text));
        s.push_back(v);
    }
    std::vector<size_t> order(hits.size());
    std::iota(order.begin(), order.end(), size_t(0));
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s[a] > s[b]; });
    std::vector<SearchHit> out;
    if (scores) scores->clear();
    for (size_t i = 0; i < order.size() && int(out.size()) < keep; ++i) {
        out.push_back(std::move(hits[order[i]]));
        if (scores) scores->push_back(s[order[i]]);
    }
    return out;
}
