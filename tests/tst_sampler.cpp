// Sampler: greedy, seeding, top-k/top-p/min-p cuts, repetition penalty, and
// the drawn distribution.
#include <QtTest>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <set>
#include <vector>

#include "sampling/sampler.h"

using namespace facet;

namespace {

SamplerParams plain(uint64_t seed = 1) {
    SamplerParams p;
    p.temperature = 1.f;
    p.topK = 0;
    p.topP = 1.f;
    p.minP = 0.f;
    p.repeatPenalty = 1.f;
    p.seed = seed;
    return p;
}

std::vector<float> logProbs(std::initializer_list<double> probs) {
    std::vector<float> v;
    for (double p : probs) v.push_back(static_cast<float>(std::log(p)));
    return v;
}

std::vector<int> counts(Sampler& s, const std::vector<float>& logits, int draws, const std::vector<int>& hist = {}) {
    std::vector<int> c(logits.size(), 0);
    for (int i = 0; i < draws; ++i) {
        int id = s.sample(logits.data(), static_cast<int>(logits.size()), hist);
        if (id < 0 || id >= static_cast<int>(logits.size())) return {};
        ++c[id];
    }
    return c;
}

std::vector<float> randomLogits(int n, uint32_t seed) {
    std::mt19937 g(seed);
    std::normal_distribution<float> d(0.f, 3.f);
    std::vector<float> v(n);
    for (float& x : v) x = d(g);
    return v;
}

}  // namespace

class TstSampler : public QObject {
    Q_OBJECT

private slots:
    void greedyPicksArgmaxAndLowestIdOnTies_data();
    void greedyPicksArgmaxAndLowestIdOnTies();
    void sameSeedReplaysAndOtherSeedDiffers();
    void topKOneEqualsGreedy();
    void topKNeverLeavesTheKBestOnFullVocab();
    void topPExcludesTheTail();
    void topPAloneCutsTheFullVocab();
    void minPExcludesTokensBelowTheFloor();
    void repetitionPenaltyChangesArgmax_data();
    void repetitionPenaltyChangesArgmax();
    void frequencyAndPresencePenalties_data();
    void frequencyAndPresencePenalties();
    void filterMasksBeforeEveryCut();
    void frequenciesFollowSoftmax_data();
    void frequenciesFollowSoftmax();
    void degenerateInputsStillReturnAValidId();
};

void TstSampler::greedyPicksArgmaxAndLowestIdOnTies_data() {
    QTest::addColumn<std::vector<float>>("logits");
    QTest::addColumn<int>("expected");
    QTest::newRow("single max") << std::vector<float>{0.1f, 2.f, -3.f, 1.9f} << 1;
    QTest::newRow("tie goes to lowest id") << std::vector<float>{0.f, 5.f, 1.f, 5.f, 5.f} << 1;
    QTest::newRow("max at the end") << std::vector<float>{-1.f, -2.f, -0.5f} << 2;
    QTest::newRow("NaN is never the max") << std::vector<float>{std::nanf(""), -9.f, -8.f} << 2;
}

void TstSampler::greedyPicksArgmaxAndLowestIdOnTies() {
    QFETCH(std::vector<float>, logits);
    QFETCH(int, expected);
    SamplerParams p = plain();
    p.temperature = 0.f;
    p.topK = 64;
    p.topP = 0.95f;
    Sampler s(p);
    for (int i = 0; i < 10; ++i) QCOMPARE(s.sample(logits.data(), int(logits.size()), {}), expected);
}

void TstSampler::sameSeedReplaysAndOtherSeedDiffers() {
    const std::vector<float> logits = randomLogits(1000, 7);
    SamplerParams p;  // the product defaults: top-k 64, top-p 0.95
    p.seed = 42;
    auto run = [&](uint64_t seed) {
        p.seed = seed;
        Sampler s(p);
        std::vector<int> out;
        for (int i = 0; i < 200; ++i) out.push_back(s.sample(logits.data(), int(logits.size()), out));
        return out;
    };
    const std::vector<int> a = run(42);
    QCOMPARE(run(42), a);
    QVERIFY(run(43) != a);
    Sampler s(p);
    s.reseed(42);
    QCOMPARE(s.sample(logits.data(), int(logits.size()), {}), a[0]);
}

void TstSampler::topKOneEqualsGreedy() {
    const std::vector<float> logits = randomLogits(5000, 3);
    const int argmax = int(std::max_element(logits.begin(), logits.end()) - logits.begin());
    SamplerParams p = plain(9);
    p.topK = 1;
    p.temperature = 5.f;  // hot, yet only one candidate survives
    Sampler s(p);
    for (int i = 0; i < 200; ++i) QCOMPARE(s.sample(logits.data(), int(logits.size()), {}), argmax);
}

void TstSampler::topKNeverLeavesTheKBestOnFullVocab() {
    const int n = 262144;
    const std::vector<float> logits = randomLogits(n, 11);
    std::vector<int> ids(n);
    for (int i = 0; i < n; ++i) ids[i] = i;
    std::partial_sort(ids.begin(), ids.begin() + 64, ids.end(), [&](int a, int b) { return logits[a] > logits[b]; });
    const std::set<int> best(ids.begin(), ids.begin() + 64);
    SamplerParams p = plain(5);
    p.topK = 64;
    p.temperature = 3.f;
    Sampler s(p);
    std::set<int> seen;
    for (int i = 0; i < 300; ++i) {
        int id = s.sample(logits.data(), n, {});
        QVERIFY2(best.count(id), qPrintable(QString("id %1 is outside the top 64").arg(id)));
        seen.insert(id);
    }
    QVERIFY(seen.size() > 5);  // and it does sample among them
}

void TstSampler::topPExcludesTheTail() {
    const std::vector<float> logits = logProbs({0.05, 0.5, 0.15, 0.3});
    SamplerParams p = plain(123);
    p.topP = 0.75f;  // 0.5 + 0.3 reaches it: ids 1 and 3 only
    Sampler s(p);
    const std::vector<int> c = counts(s, logits, 5000);
    QCOMPARE(c.size(), size_t(4));
    QCOMPARE(c[0], 0);
    QCOMPARE(c[2], 0);
    QVERIFY(c[1] > 2500);
    QVERIFY(c[3] > 1500);
}

void TstSampler::topPAloneCutsTheFullVocab() {
    // 1000 scattered ids hold ~99% of the mass; top-p 0.9 keeps only some of them.
    const int n = 262144;
    std::vector<float> logits = randomLogits(n, 21);
    for (float& x : logits) x = x * 0.1f;
    std::set<int> high;
    std::mt19937 g(5);
    while (high.size() < 1000) high.insert(int(g() % n));
    for (int id : high) logits[id] = 10.f + logits[id];
    SamplerParams p = plain(8);
    p.topP = 0.9f;
    Sampler s(p);
    std::set<int> seen;
    for (int i = 0; i < 100; ++i) {
        int id = s.sample(logits.data(), n, {});
        QVERIFY2(high.count(id), qPrintable(QString("id %1 is in the cut tail").arg(id)));
        seen.insert(id);
    }
    QVERIFY(seen.size() > 50);
}

void TstSampler::minPExcludesTokensBelowTheFloor() {
    const std::vector<float> logits = logProbs({0.4, 0.1, 0.3, 0.2});
    SamplerParams p = plain(77);
    p.minP = 0.3f;  // floor 0.12: id 1 (0.1) is out
    Sampler s(p);
    const std::vector<int> c = counts(s, logits, 5000);
    QCOMPARE(c.size(), size_t(4));
    QCOMPARE(c[1], 0);
    QVERIFY(c[0] > 0 && c[2] > 0 && c[3] > 0);
}

void TstSampler::repetitionPenaltyChangesArgmax_data() {
    QTest::addColumn<std::vector<float>>("logits");
    QTest::addColumn<std::vector<int>>("history");
    QTest::addColumn<int>("lastN");
    QTest::addColumn<int>("expected");
    // 2.0 / 1.5 = 1.33 < 1.8
    QTest::newRow("positive logit divided") << std::vector<float>{2.f, 1.8f, -1.f} << std::vector<int>{0, 0, 0}
                                            << 64 << 1;
    // -1.0 * 1.5 = -1.5 < -1.2
    QTest::newRow("negative logit multiplied") << std::vector<float>{-1.f, -1.2f} << std::vector<int>{0} << 64 << 1;
    QTest::newRow("outside the last N") << std::vector<float>{2.f, 1.8f} << std::vector<int>{0, 7, 7} << 2 << 0;
    QTest::newRow("last N < 0 means all history") << std::vector<float>{2.f, 1.8f} << std::vector<int>{0, 7, 7, 7}
                                                  << -1 << 1;
    QTest::newRow("ids beyond the vocab ignored") << std::vector<float>{2.f, 1.8f} << std::vector<int>{-4, 99} << 64
                                                  << 0;
}

void TstSampler::repetitionPenaltyChangesArgmax() {
    QFETCH(std::vector<float>, logits);
    QFETCH(std::vector<int>, history);
    QFETCH(int, lastN);
    QFETCH(int, expected);
    SamplerParams p = plain();
    p.temperature = 0.f;
    p.repeatPenalty = 1.5f;
    p.repeatLastN = lastN;
    Sampler s(p);
    const std::vector<float> before = logits;
    QCOMPARE(s.sample(logits.data(), int(logits.size()), history), expected);
    QCOMPARE(logits, before);  // the caller's logits are untouched
}

void TstSampler::frequencyAndPresencePenalties_data() {
    QTest::addColumn<float>("frequency");
    QTest::addColumn<float>("presence");
    QTest::addColumn<std::vector<int>>("history");
    QTest::addColumn<int>("expected");
    // Logits {2.0, 1.9, 0}: token 0 loses when its penalty exceeds 0.1.
    QTest::newRow("frequency x count: 2.0 - 2 x 0.06 = 1.88") << 0.06f << 0.f << std::vector<int>{0, 0} << 1;
    QTest::newRow("frequency once: 2.0 - 0.06 = 1.94") << 0.06f << 0.f << std::vector<int>{0} << 0;
    QTest::newRow("presence once however often: 2.0 - 0.08") << 0.f << 0.08f << std::vector<int>{0, 0, 0} << 0;
    QTest::newRow("presence 0.15: 1.85") << 0.f << 0.15f << std::vector<int>{0} << 1;
    QTest::newRow("both: 2.0 - 0.04 - 0.08 = 1.88") << 0.04f << 0.08f << std::vector<int>{0} << 1;
    QTest::newRow("negative frequency raises token 1: 1.9 + 0.2") << -0.2f << 0.f << std::vector<int>{1} << 1;
    QTest::newRow("outside the last 2 tokens") << 1.f << 1.f << std::vector<int>{0, 2, 2} << 0;
}

void TstSampler::frequencyAndPresencePenalties() {
    QFETCH(float, frequency);
    QFETCH(float, presence);
    QFETCH(std::vector<int>, history);
    QFETCH(int, expected);
    SamplerParams p = plain();
    p.temperature = 0.f;
    p.frequencyPenalty = frequency;
    p.presencePenalty = presence;
    p.repeatLastN = 2;
    QVERIFY(Sampler::penalises(p));
    std::vector<float> logits{2.f, 1.9f, 0.f};
    Sampler s(p);
    QCOMPARE(s.sample(logits.data(), int(logits.size()), history), expected);
}

void TstSampler::filterMasksBeforeEveryCut() {
    // Only even ids allowed: greedy, top-k 1 and full sampling pick among them.
    struct Even : TokenFilter {
        bool allows(int id) override { return id % 2 == 0; }
        void accept(int) override {}
    } even;
    struct None : TokenFilter {
        bool allows(int) override { return false; }
        void accept(int) override {}
    } none;
    std::vector<float> logits{5.f, 1.f, 4.f, 3.f, 0.5f};
    SamplerParams greedy = plain();
    greedy.temperature = 0.f;
    QCOMPARE(Sampler(greedy).sample(logits.data(), 5, {}, &even), 0);
    logits[0] = -1.f;
    QCOMPARE(Sampler(greedy).sample(logits.data(), 5, {}, &even), 2);  // 3.0 at id 3 is odd
    SamplerParams k1 = plain();
    k1.topK = 1;
    QCOMPARE(Sampler(k1).sample(logits.data(), 5, {}, &even), 2);
    Sampler full(plain(3));
    for (int i = 0; i < 200; ++i) QCOMPARE(full.sample(logits.data(), 5, {}, &even) % 2, 0);
    QCOMPARE(Sampler(greedy).sample(logits.data(), 5, {}, &none), -1);
}

void TstSampler::frequenciesFollowSoftmax_data() {
    QTest::addColumn<float>("temperature");
    QTest::addColumn<double>("expectedP0");
    QTest::newRow("T=1: 3:1") << 1.f << 0.75;
    QTest::newRow("T=0.5: 9:1") << 0.5f << 0.9;
    QTest::newRow("T=2: sqrt(3):1") << 2.f << std::sqrt(3.0) / (1.0 + std::sqrt(3.0));
}

void TstSampler::frequenciesFollowSoftmax() {
    QFETCH(float, temperature);
    QFETCH(double, expectedP0);
    const std::vector<float> logits{float(std::log(3.0)), 0.f};
    SamplerParams p = plain(2024);
    p.temperature = temperature;
    Sampler s(p);
    const int draws = 20000;
    const std::vector<int> c = counts(s, logits, draws);
    QCOMPARE(c.size(), size_t(2));
    // 5 standard deviations of a binomial count.
    const double sigma = std::sqrt(draws * expectedP0 * (1 - expectedP0));
    QVERIFY2(std::abs(c[0] - draws * expectedP0) < 5 * sigma,
             qPrintable(QString("%1 vs %2 draws of id 0").arg(c[0]).arg(draws * expectedP0)));
}

void TstSampler::degenerateInputsStillReturnAValidId() {
    Sampler s(SamplerParams{});
    const float inf = std::numeric_limits<float>::infinity();
    std::vector<float> allNegInf(10, -inf);
    QCOMPARE(s.sample(allNegInf.data(), 10, {}), 0);
    std::vector<float> withPosInf{0.f, inf, 1.f, inf};
    QCOMPARE(s.sample(withPosInf.data(), 4, {}), 1);
    std::vector<float> nans(3, std::nanf(""));
    QCOMPARE(s.sample(nans.data(), 3, {}), 0);
    QCOMPARE(s.sample(nullptr, 0, {}), -1);
    float one = 0.f;
    QCOMPARE(s.sample(&one, 1, {}), 0);
}

QTEST_GUILESS_MAIN(TstSampler)
#include "tst_sampler.moc"
