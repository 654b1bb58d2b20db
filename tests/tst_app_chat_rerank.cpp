// Passage rerank by the loaded model (app/chat/passage_reranker.h) with a tiny
// random Gemma-4-shaped model on the CPU backend, its sliding window widened
// to 256 so that the KV cache can rewind (the e2b-like window of 8 would make
// every prompt change a prefill from <bos> and the cache checks vacuous). The score is checked against
// the same prompt run through a fresh CpuForward here (no KV cache reuse, ids
// of yes/no looked up here); the rerank order against a sort of those
// independent scores; the fused order when the rerank is off; a conversation
// whose reply comes after a rerank against the same conversation without one
// (greedy, so the tokens must match: the KV cache was not corrupted); and the
// setting's path through ChatSettings and EngineWorker.
#include <QDir>
#include <QElapsedTimer>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "chat/chat_format.h"
#include "chat_settings.h"
#include "cpu/cpu_forward.h"
#include "doc_index.h"
#include "doc_search.h"
#include "document_retrieval.h"
#include "document_sources.h"
#include "engine_worker.h"
#include "model/model.h"
#include "passage_reranker.h"
#include "runtime/backend_factory.h"
#include "runtime/chat_session.h"
#include "support/cli_run.h"
#include "support/model_factory.h"
#include "support/test_paths.h"

namespace ft = facet::test;
using facet::docs::SearchHit;

namespace {

constexpr int kContext = 1024;

std::unique_ptr<facet::ChatSession> openSession(const QString& path) {
    facet::BackendChoice c;
    c.backend = "cpu";
    c.maxContext = kContext;
    auto s = facet::ChatSession::open(path.toStdString(), c);
    if (!s.ok()) qWarning("open: %s", s.message().c_str());
    return s.ok() ? std::move(s).value() : nullptr;
}

facet::ChatMessage message(facet::ChatMessage::Role role, const std::string& text) {
    facet::ChatMessage m;
    m.role = role;
    m.text = text;
    return m;
}

double logSumExp(const std::vector<float>& row, const std::vector<int>& ids) {
    double sum = 0;
    for (int id : ids) sum += std::exp(double(row[size_t(id)]));
    return std::log(sum);
}

// The reference: the judged prompt from <bos> through a fresh CPU forward,
// logit(yes) − logit(no) over the first tokens of yes/Yes and no/No.
class IndependentScorer {
public:
    explicit IndependentScorer(const QString& path) {
        auto m = facet::Model::open(path.toStdString());
        if (!m.ok()) return;
        model_ = std::move(m).value();
        auto t = facet::tokenizerForModel(*model_);
        if (!t.ok()) return;
        tokenizer_ = std::move(t).value();
        for (const char* w : {"yes", "Yes"}) addFirst(w, yes_);
        for (const char* w : {"no", "No"}) addFirst(w, no_);
    }
    bool ok() const { return tokenizer_ && !yes_.empty() && !no_.empty(); }

    double score(const QString& question, const QString& passage) const {
        facet::ChatFormat format(*tokenizer_, {facet::usesLargeChatTemplate(model_->desc())});
        auto ids = format.render({message(facet::ChatMessage::User, rerankMessage(question, passage).toStdString())}, false, true);
        if (!ids.ok()) return NAN;
        facet::cpu::CpuForward fwd(model_->desc(), model_->weights(), kContext);
        std::vector<float> row;
        if (!fwd.forward(ids.value(), false, row).ok()) return NAN;
        return logSumExp(row, yes_) - logSumExp(row, no_);
    }

private:
    void addFirst(const char* word, std::vector<int>& ids) {
        const std::vector<int> enc = tokenizer_->encode(word);
        if (!enc.empty() && std::find(ids.begin(), ids.end(), enc.front()) == ids.end()) ids.push_back(enc.front());
    }
    std::unique_ptr<facet::Model> model_;
    std::unique_ptr<facet::Tokenizer> tokenizer_;
    std::vector<int> yes_, no_;
};

bool writeText(const QString& path, const QByteArray& text) {
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(text) == text.size();
}

const QString kQuestion = QStringLiteral("What happened at the river?");
const QStringList kPassages = {
    "A zebra herd crossed the river at dawn.", "The ferry across the river stopped running in winter.",
    "Otters play in the river below the mill.", "Nobody fishes in the river since the flood.",
    "The river froze over in January.",        "Children swam in the river all summer.",
    "A bridge over the river opened in 1902.", "The river carries sand from the hills."};

}  // namespace

class TstAppChatRerank : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;
    QString model_, library_, docs_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        facet::ModelDesc d = facet::e2bLike();
        d.slidingWindow = 256;
        for (facet::LayerDesc& l : d.layers)
            if (l.attn == facet::AttnKind::Sliding) l.window = d.slidingWindow;
        facet::MakeOptions opt;
        opt.weightType = facet::GgmlType::Q8_0;
        QString err;
        model_ = ft::writeModel(dir_, "chat.gguf", d, opt, false, err);
        QVERIFY2(!model_.isEmpty(), qPrintable(err));
        // One short file per passage: one chunk each, so no neighbours merge.
        docs_ = QDir(dir_.path()).canonicalPath() + "/docs";
        QVERIFY(QDir().mkpath(docs_));
        for (int i = 0; i < kPassages.size(); ++i)
            QVERIFY(writeText(docs_ + QString("/note%1.txt").arg(i), kPassages[i].toUtf8()));
        library_ = QDir(dir_.path()).canonicalPath() + "/river.sqlite";
        const ft::ProcessOutcome o = ft::runProgram(ft::cliPath(), {"docs", "add", "--db", library_, docs_}, {}, ft::headlessEnvironment());
        QVERIFY2(o.exitCode == 0, qPrintable(o.err));
    }

    void scoreIsTheYesNoLogitDifference() {
        auto session = openSession(model_);
        QVERIFY(session);
        auto scorer = sessionScorer(*session);
        QVERIFY2(scorer.ok(), scorer.ok() ? "" : scorer.message().c_str());
        const IndependentScorer reference(model_);
        QVERIFY(reference.ok());
        std::vector<double> got;
        QElapsedTimer timer;
        timer.start();
        for (const QString& p : kPassages) {
            auto s = scorer.value()(kQuestion, p);
            QVERIFY2(s.ok(), s.ok() ? "" : s.message().c_str());
            got.push_back(s.value());
        }
        qInfo("rerank on the CPU backend: %.1f ms per candidate (%d candidates, prefix reused)",
              double(timer.elapsed()) / kPassages.size(), int(kPassages.size()));
        for (int i = 0; i < kPassages.size(); ++i) {
            const double want = reference.score(kQuestion, kPassages[i]);
            QVERIFY2(std::abs(got[size_t(i)] - want) <= 1e-3 * (1 + std::abs(want)),
                     qPrintable(QString("passage %1: score %2, reference %3").arg(i).arg(got[size_t(i)]).arg(want)));
        }
        // Distinct scores, or the order checks below would prove nothing.
        std::vector<double> sorted = got;
        std::sort(sorted.begin(), sorted.end());
        QVERIFY(std::adjacent_find(sorted.begin(), sorted.end()) == sorted.end());
    }

    void rerankSortsStablyAndKeeps() {
        std::vector<SearchHit> hits;
        for (int i = 0; i < 5; ++i) {
            SearchHit h;
            h.path = QString("p%1").arg(i);
            h.text = QString::number(i);
            hits.push_back(h);
        }
        // Scores 1, 3, 3, 0, 3 by text: the three 3s keep their order.
        const PassageScorer byText = [](const QString&, const QString& t) -> facet::Result<double> {
            return std::vector<double>{1, 3, 3, 0, 3}[size_t(t.toInt())];
        };
        std::vector<double> scores;
        auto out = rerankHits(hits, "q", byText, 4, &scores);
        QVERIFY(out.ok());
        QStringList order;
        for (const SearchHit& h : out.value()) order << h.path;
        QCOMPARE(order, (QStringList{"p1", "p2", "p4", "p0"}));
        QCOMPARE(scores, (std::vector<double>{3, 3, 3, 1}));
        const PassageScorer failing = [](const QString&, const QString&) -> facet::Result<double> {
            return facet::makeError("device lost");
        };
        QVERIFY(!rerankHits(hits, "q", failing, 4).ok());
    }

    // Through retrieveForQuestion: off is the keyword order; on is the order
    // of the independent scores (all 8 chunks are candidates, 6 are kept).
    void retrievalOrderFollowsTheScores() {
        auto session = openSession(model_);
        QVERIFY(session);
        const auto count = [&](const QString& m) {
            auto n = session->promptTokens({message(facet::ChatMessage::User, m.toStdString())}, false);
            return n.ok() ? n.value() : kContext + 1;
        };
        auto index = facet::docs::DocIndex::open(library_);
        QVERIFY(index.ok());
        auto keyword = facet::docs::searchDocuments(*index.value(), kQuestion, 20, facet::docs::SearchMode::Keyword, nullptr);
        QVERIFY(keyword.ok());
        QCOMPARE(int(keyword->size()), kPassages.size());  // every note says "river"
        QStringList fusedOrder;
        for (const SearchHit& h : keyword.value()) fusedOrder << h.path;

        auto off = retrieveForQuestion({library_}, kQuestion, kContext / 2, count);
        QVERIFY(off.ok());
        QVERIFY(!off->reranked);
        QStringList offOrder;
        for (const MessageSource& s : off->sources) offOrder << s.path;
        QCOMPARE(offOrder, fusedOrder.mid(0, kChunksFused));

        const IndependentScorer reference(model_);
        QVERIFY(reference.ok());
        std::vector<double> want;
        for (const SearchHit& h : keyword.value()) want.push_back(reference.score(kQuestion, h.text));
        std::vector<int> byScore(want.size());
        std::iota(byScore.begin(), byScore.end(), 0);
        std::stable_sort(byScore.begin(), byScore.end(), [&](int a, int b) { return want[size_t(a)] > want[size_t(b)]; });
        QStringList wantOrder;
        for (int i = 0; i < kChunksFused; ++i) wantOrder << fusedOrder[byScore[size_t(i)]];
        QVERIFY2(wantOrder != offOrder, "the random model happens to agree with BM25: nothing is tested");

        auto scorer = sessionScorer(*session);
        QVERIFY(scorer.ok());
        RetrievalOptions options;
        options.rerank = scorer.value();
        auto on = retrieveForQuestion({library_}, kQuestion, kContext / 2, count, options);
        QVERIFY(on.ok());
        QVERIFY(on->reranked);
        QVERIFY2(on->skipped.isEmpty(), qPrintable(on->skipped.join("; ")));
        QStringList onOrder;
        for (const MessageSource& s : on->sources) onOrder << s.path;
        QCOMPARE(onOrder, wantOrder);
        QVERIFY(on->prompt.contains(QString("[1] (%1)").arg(QFileInfo(wantOrder[0]).fileName())));

        // A rerank that fails leaves the fused order and says so; the reply goes on.
        options.rerank = [](const QString&, const QString&) -> facet::Result<double> { return facet::makeError("device lost"); };
        auto failed = retrieveForQuestion({library_}, kQuestion, kContext / 2, count, options);
        QVERIFY(failed.ok());
        QVERIFY(!failed->reranked);
        QCOMPARE(failed->skipped, QStringList{"rerank: device lost"});
        QStringList failedOrder;
        for (const MessageSource& s : failed->sources) failedOrder << s.path;
        QCOMPARE(failedOrder, offOrder);
    }

    // A rerank between two turns leaves the cache consistent: the follow-up's
    // greedy reply is token for token the one without a rerank. The cost is
    // visible too: the conversation is prefilled again (few tokens reused).
    void replyAfterRerankIsUnchanged() {
        auto plain = openSession(model_);
        auto judged = openSession(model_);
        QVERIFY(plain && judged);
        facet::ChatSettings cs;
        cs.sampling.temperature = 0;
        cs.maxTokens = 12;
        std::vector<facet::ChatMessage> history{message(facet::ChatMessage::User, "Tell me about the river.")};
        auto first = plain->reply(history, cs, nullptr, {});
        auto firstJudged = judged->reply(history, cs, nullptr, {});
        QVERIFY(first.ok() && firstJudged.ok());
        QCOMPARE(firstJudged->answerIds, first->answerIds);
        QVERIFY(first->stats.generated > 0);

        facet::ChatMessage answer = message(facet::ChatMessage::Model, first->text.answer);
        answer.answerIds = first->answerIds;
        history.push_back(answer);
        history.push_back(message(facet::ChatMessage::User, "And what about the bridge?"));

        auto scorer = sessionScorer(*judged);
        QVERIFY(scorer.ok());
        for (const QString& p : kPassages.mid(0, 3)) QVERIFY(scorer.value()(kQuestion, p).ok());

        auto second = plain->reply(history, cs, nullptr, {});
        auto secondJudged = judged->reply(history, cs, nullptr, {});
        QVERIFY(second.ok() && secondJudged.ok());
        QVERIFY(second->stats.generated > 0);
        QCOMPARE(QString::fromStdString(secondJudged->text.answer), QString::fromStdString(second->text.answer));
        QCOMPARE(secondJudged->stats.generated, second->stats.generated);
        QCOMPARE(secondJudged->promptTokens, second->promptTokens);
        QCOMPARE(judged->cachedTokens(), plain->cachedTokens());
        qInfo("follow-up: %d prompt tokens, %d reused without a rerank, %d after one", second->promptTokens,
              second->stats.reusedTokens, secondJudged->stats.reusedTokens);
        QVERIFY(second->stats.reusedTokens > first->promptTokens);  // the plain follow-up reuses the first turn
        QVERIFY2(secondJudged->stats.reusedTokens < 8, qPrintable(QString::number(secondJudged->stats.reusedTokens)));
    }

    void settingIsStoredAndPassedOn() {
        ChatSettings settings;
        settings.setFile(dir_.filePath("settings.ini"));
        QCOMPARE(settings.documentsRerank(), QString("auto"));
        QCOMPARE(settings.sampling().value("rerank").toString(), QString("auto"));
        settings.setDocumentsRerank("on");
        settings.setFile(dir_.filePath("settings.ini"));  // read back from the file
        QCOMPARE(settings.documentsRerank(), QString("on"));
        QCOMPARE(settings.sampling().value("rerank").toString(), QString("on"));
        settings.setDocumentsRerank("sometimes");
        QCOMPARE(settings.documentsRerank(), QString("auto"));
    }

    // The worker: "auto" on the CPU backend is "off" (the keyword order);
    // "on" reranks, and the reply still comes.
    void workerFollowsTheSetting() {
        EngineWorker worker;
        QSignalSpy loaded(&worker, &EngineWorker::loaded);
        worker.load(model_, {{"backend", "cpu"}, {"context", kContext}});
        QCOMPARE(loaded.count(), 1);
        QMap<QString, QStringList> orders;
        for (const QString mode : {"off", "auto", "on"}) {
            QSignalSpy retrieved(&worker, &EngineWorker::documentsRetrieved);
            QSignalSpy finished(&worker, &EngineWorker::finished);
            QSignalSpy failed(&worker, &EngineWorker::failed);
            const QVariantMap settings{{"temperature", 0.0}, {"maxTokens", 8}, {"rerank", mode}};
            worker.generateWithDocuments(1, {QVariantMap{{"role", "user"}, {"text", kQuestion}}}, settings, {library_});
            QCOMPARE(failed.count(), 0);
            QCOMPARE(retrieved.count(), 1);
            QCOMPARE(finished.count(), 1);
            QVERIFY2(retrieved.first().at(3).toStringList().isEmpty(), qPrintable(retrieved.first().at(3).toStringList().join("; ")));
            const QVariantMap st = finished.first().at(1).toMap();
            QVERIFY(st.value("generated").toInt() > 0);
            QVERIFY(st.value("promptTokens").toInt() > 0);
            QVERIFY(st.value("contextUsed").toInt() <= kContext);
            for (const MessageSource& s : sourcesFromJson(retrieved.first().at(2).toString())) orders[mode] << s.path;
        }
        QCOMPARE(orders["auto"], orders["off"]);
        QCOMPARE(orders["on"].size(), kChunksFused);
        QVERIFY(orders["on"] != orders["off"]);
    }
};

QTEST_GUILESS_MAIN(TstAppChatRerank)
#include "tst_app_chat_rerank.moc"
