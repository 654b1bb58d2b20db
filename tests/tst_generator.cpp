// The generation loop over the CPU backend: stop tokens, max tokens,
// cancellation, and KV-cache reuse for follow-up prompts (chat turns).
#include <QtTest>
#include <atomic>

#include "model/model.h"
#include "runtime/cpu_backend.h"
#include "runtime/generator.h"
#include "support/test_paths.h"

using namespace facet;

class TstGenerator : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void greedyStopsAtMaxTokens();
    void stopTokenEndsGeneration();
    void cancelStopsBeforeNextToken();
    void followUpReusesCache();
    void divergingPromptRecomputes();
    void rejectsOverlongPrompt();

private:
    std::vector<int> greedy(Generator& g, const std::vector<int>& prompt, int n, GenerateStats* stats = nullptr);
    std::unique_ptr<Model> model_;
};

void TstGenerator::initTestCase() {
    auto m = Model::open(test::dataFile("dense31b-like.gguf").toStdString());
    QVERIFY2(m.ok(), m.ok() ? "" : m.message().c_str());
    model_ = std::move(m).value();
}

std::vector<int> TstGenerator::greedy(Generator& g, const std::vector<int>& prompt, int n, GenerateStats* stats) {
    GenerateOptions opt;
    opt.maxTokens = n;
    opt.sampling.temperature = 0;
    std::vector<int> out;
    auto st = g.generate(prompt, opt, [&](int t) {
        out.push_back(t);
        return true;
    });
    if (!st.ok()) qWarning("%s", st.message().c_str());
    if (stats && st.ok()) *stats = st.value();
    return out;
}

void TstGenerator::greedyStopsAtMaxTokens() {
    CpuBackend b(model_->desc(), model_->weights(), 128);
    Generator g(b);
    GenerateStats st;
    const auto out = greedy(g, {2, 40, 41, 42}, 9, &st);
    QCOMPARE(out.size(), size_t(9));
    QCOMPARE(st.reason, StopReason::MaxTokens);
    QCOMPARE(st.generated, 9);
    // The cache holds the prompt and every generated token but the last.
    QCOMPARE(g.cached().size(), size_t(4 + 8));
}

void TstGenerator::stopTokenEndsGeneration() {
    CpuBackend b(model_->desc(), model_->weights(), 128);
    Generator g(b);
    const auto free = greedy(g, {2, 40, 41, 42}, 6);
    QCOMPARE(free.size(), size_t(6));
    g.reset();
    GenerateOptions opt;
    opt.maxTokens = 6;
    opt.sampling.temperature = 0;
    opt.stopIds = {free[3]};
    std::vector<int> out;
    auto st = g.generate({2, 40, 41, 42}, opt, [&](int t) {
        out.push_back(t);
        return true;
    });
    QVERIFY(st.ok());
    QCOMPARE(st->reason, StopReason::StopToken);
    QCOMPARE(st->stopToken, free[3]);
    // Stops at the first occurrence of the stop id, which is not emitted.
    const auto firstStop = std::find(free.begin(), free.end(), free[3]) - free.begin();
    QCOMPARE(out, std::vector<int>(free.begin(), free.begin() + firstStop));
}

void TstGenerator::cancelStopsBeforeNextToken() {
    CpuBackend b(model_->desc(), model_->weights(), 128);
    Generator g(b);
    std::atomic<bool> cancel{false};
    GenerateOptions opt;
    opt.maxTokens = 50;
    opt.cancel = &cancel;
    std::vector<int> out;
    auto st = g.generate({2, 40, 41}, opt, [&](int t) {
        out.push_back(t);
        if (out.size() == 3) cancel = true;  // e.g. the Stop button
        return true;
    });
    QVERIFY(st.ok());
    QCOMPARE(st->reason, StopReason::Cancelled);
    QCOMPARE(out.size(), size_t(3));
}

void TstGenerator::followUpReusesCache() {
    CpuBackend b(model_->desc(), model_->weights(), 256);
    Generator g(b);
    const std::vector<int> turn1 = {2, 40, 41, 42, 43};
    const auto reply = greedy(g, turn1, 5);
    // Follow-up prompt = turn1 + reply + new user tokens: only the new part is prefilled.
    std::vector<int> turn2 = turn1;
    turn2.insert(turn2.end(), reply.begin(), reply.end());
    turn2.insert(turn2.end(), {50, 51, 52});
    GenerateStats st;
    const auto cont = greedy(g, turn2, 6, &st);
    QCOMPARE(st.reusedTokens, int(turn1.size() + reply.size() - 1));
    CpuBackend fresh(model_->desc(), model_->weights(), 256);
    Generator h(fresh);
    QCOMPARE(cont, greedy(h, turn2, 6));
}

void TstGenerator::divergingPromptRecomputes() {
    CpuBackend b(model_->desc(), model_->weights(), 256);
    Generator g(b);
    greedy(g, {2, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54}, 3);
    // An edit early in the conversation: reuse only the shared prefix.
    const std::vector<int> edited = {2, 40, 41, 99, 100, 101};
    GenerateStats st;
    const auto out = greedy(g, edited, 5, &st);
    QVERIFY(st.reusedTokens <= 3);
    CpuBackend fresh(model_->desc(), model_->weights(), 256);
    Generator h(fresh);
    QCOMPARE(out, greedy(h, edited, 5));
}

void TstGenerator::rejectsOverlongPrompt() {
    CpuBackend b(model_->desc(), model_->weights(), 8);
    Generator g(b);
    GenerateOptions opt;
    auto st = g.generate(std::vector<int>(8, 5), opt, {});
    QVERIFY(!st.ok());
    QVERIFY2(st.message().find("context holds 8") != std::string::npos, st.message().c_str());
}

QTEST_GUILESS_MAIN(TstGenerator)
#include "tst_generator.moc"
