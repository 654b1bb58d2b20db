#include "answer_prompt.h"

#include <QFileInfo>

namespace facet::docs {

namespace {

// Open WebUI's RAG template is the model (documents-qa.md §6.4): answer from
// the passages only, cite by number, admit when they do not hold the answer.
const char* const kInstructions =
    "Answer the question using only the numbered passages below, which come from the user's documents. "
    "Cite the passages you use by their number in square brackets, like [1] or [2]. "
    "If the passages do not contain the answer, say that the documents do not answer it.";

const char* const kNothingFound =
    "No passage in the user's documents matched the question below. "
    "Say that nothing relevant was found in the documents; do not answer from memory.";

// A trimmed passage keeps at least this much; less is no use as evidence.
constexpr int kMinTrimmedChars = 200;

QString passageHeader(int number, const AnswerPassage& p) {
    QString where = QFileInfo(p.path).fileName();
    if (p.page > 0) where += QStringLiteral(", page %1").arg(p.pageLabel.isEmpty() ? QString::number(p.page) : p.pageLabel);
    if (!p.section.isEmpty()) where += QStringLiteral(", section \"%1\"").arg(p.section);
    return QStringLiteral("[%1] (%2)").arg(number).arg(where);
}

QString render(const QString& question, const std::vector<AnswerPassage>& passages) {
    QString m = QString::fromLatin1(passages.empty() ? kNothingFound : kInstructions) + QStringLiteral("\n\n");
    for (size_t i = 0; i < passages.size(); ++i)
        m += passageHeader(int(i) + 1, passages[i]) + QLatin1Char('\n') + passages[i].text.trimmed() +
             QStringLiteral("\n\n");
    return m + QStringLiteral("Question: ") + question.trimmed();
}

}  // namespace

Result<AnswerPrompt> buildAnswerPrompt(const QString& question, std::vector<AnswerPassage> passages, int budget,
                                       const PromptTokenCounter& countTokens) {
    AnswerPrompt out;
    while (!passages.empty() && countTokens(render(question, passages)) > budget) {
        if (passages.size() == 1) {
            // The best passage alone is too long: keep the longest prefix that fits.
            AnswerPassage& only = passages.front();
            qsizetype lo = 0, hi = only.text.size();
            const QString full = only.text;
            while (lo < hi) {
                const qsizetype mid = (lo + hi + 1) / 2;
                only.text = full.left(mid);
                if (countTokens(render(question, passages)) <= budget) lo = mid;
                else hi = mid - 1;
            }
            only.text = full.left(lo);
            if (lo >= kMinTrimmedChars) {
                out.trimmed = true;
                break;
            }
        }
        passages.pop_back();
        ++out.dropped;
    }
    out.message = render(question, passages);
    if (countTokens(out.message) > budget)
        return errorf("the question takes more than the %d tokens the context leaves for it", budget);
    out.passages = std::move(passages);
    return out;
}

}  // namespace facet::docs
