// facet-cli docs ask: retrieve the top k passages for a question, ask the
// chat model to answer from them only, citing [1]..[n]; the answer streams to
// stdout, then the numbered sources follow, one per line.
#include <QFileInfo>

#include <algorithm>
#include <cstdio>

#include "answer_prompt.h"
#include "cli_common.h"
#include "cli_docs_shared.h"
#include "doc_embedder.h"
#include "doc_search.h"
#include "runtime/chat_session.h"

namespace facet::cli {

namespace {

using namespace facet::docs;

constexpr int kMaxAnswerTokens = 512;
constexpr int kContextTokens = 4096;  // clamped to the model's own

// Hybrid needs the index's vectors and the model that made them: --embed-model,
// else the path `docs add` stored. Anything less is keyword search, not an error.
std::unique_ptr<DocEmbedder> usableEmbedder(DocIndex& index, const IndexStatus& status, const Args& args) {
    if (status.embedded == 0) return nullptr;
    const QString path = args.get("--embed-model") ? QString::fromStdString(*args.get("--embed-model"))
                                                   : index.meta(QStringLiteral("embed_model_path"));
    if (path.isEmpty()) return nullptr;
    auto opened = DocEmbedder::open(path, EmbedBackend::Auto);
    if (!opened.ok() || opened.value()->modelId() != index.meta(QStringLiteral("embed_model_id"))) return nullptr;
    return std::move(opened.value());
}

std::vector<ChatMessage> userTurn(const QString& text) {
    ChatMessage m;
    m.role = ChatMessage::User;
    m.text = text.toStdString();
    return {m};
}

void writeText(const std::string& s) {
    std::fwrite(s.data(), 1, s.size(), stdout);
    std::fflush(stdout);
}

}  // namespace

int docsAsk(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--db", "--model", "--query", "-k", "-n", "--embed-model", "--backend", "--device"}, {});
    if (!args.ok()) return fail("docs ask: " + args.message());
    const Args& a = args.value();
    auto db = a.require("--db");
    if (!db.ok()) return fail("docs ask: " + db.message());
    auto modelPath = a.require("--model");
    if (!modelPath.ok()) return fail("docs ask: " + modelPath.message());
    auto query = a.require("--query");
    if (!query.ok()) return fail("docs ask: " + query.message());
    auto k = a.getInt("-k", 5, 1, 100);
    auto maxTokens = a.getInt("-n", kMaxAnswerTokens, 1, 8192);  // the answer's length at most
    if (!k.ok()) return fail("docs ask: " + k.message());
    if (!maxTokens.ok()) return fail("docs ask: " + maxTokens.message());
    const QString question = QString::fromStdString(query.value());
    if (question.trimmed().isEmpty()) return fail("docs ask: --query is empty");

    const auto app = makeApp(false);
    auto index = openIndex(db.value(), false);
    if (!index.ok()) return fail("docs ask: " + index.message());
    auto status = index.value()->status();
    if (!status.ok()) return fail("docs ask: " + status.message());
    const auto embedder = usableEmbedder(*index.value(), status.value(), a);
    auto hits = searchDocuments(*index.value(), question, int(k.value()),
                                embedder ? SearchMode::Hybrid : SearchMode::Keyword, embedder.get());
    if (!hits.ok()) return fail("docs ask: " + hits.message());

    BackendChoice choice;
    choice.backend = a.get("--backend").value_or("");
    choice.device = a.get("--device").value_or("");
    choice.maxContext = kContextTokens;
    auto session = ChatSession::open(modelPath.value(), choice);
    if (!session.ok()) return fail("docs ask: " + session.message());
    ChatSession& chat = *session.value();

    // ChatSession keeps room to answer (the token budget, at most half the
    // context); the one user message must fit in the rest.
    const int reserve = std::clamp(kMaxAnswerTokens, 1, std::max(1, chat.contextSize() / 2));
    const auto countTokens = [&](const QString& message) {
        auto n = chat.promptTokens(userTurn(message), false);
        return n.ok() ? n.value() : chat.contextSize() + 1;
    };
    auto prompt = buildAnswerPrompt(question, mergeNeighbours(hits.value()), chat.contextSize() - reserve, countTokens);
    if (!prompt.ok()) return fail("docs ask: " + prompt.message());

    ChatSettings settings;
    settings.sampling.temperature = 0;  // greedy: the same passages give the same answer
    settings.maxTokens = static_cast<int>(maxTokens.value());
    auto reply = chat.reply(userTurn(prompt->message), settings, nullptr,
                            [](const ChatOutput& d) { writeText(d.answer); });
    if (!reply.ok()) return fail("docs ask: " + reply.message());

    if (prompt->passages.empty()) {
        std::printf("\n\nSources: none (no passage matched the question)\n");
        return 0;
    }
    std::printf("\n\nSources:\n");
    for (size_t i = 0; i < prompt->passages.size(); ++i)
        std::printf("%s\n", sourceLine(int(i) + 1, prompt->passages[i]).toUtf8().constData());
    if (prompt->dropped > 0)
        std::fprintf(stderr, "%d passage%s left out to fit the context\n", prompt->dropped, prompt->dropped == 1 ? "" : "s");
    return 0;
}

}  // namespace facet::cli
