// Sampler: picks the next token from a logits row.
//
// Pipeline: penalties (llama.cpp style repetition, OpenAI style frequency and
// presence, over the last repeatLastN tokens) -> filter mask -> top-k ->
// temperature -> softmax -> top-p -> min-p -> seeded draw. Temperature <= 0 is greedy
// (argmax after the penalty; ties go to the lowest id). The random stream is
// std::mt19937_64 turned into doubles by hand (not a std distribution, whose
// output differs between standard libraries), so a seed replays exactly.
#pragma once

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

#include "sampling/token_filter.h"

namespace facet {

struct SamplerParams {
    float temperature = 1.f;   // <= 0: greedy
    int topK = 64;             // <= 0 or >= n: off
    float topP = 0.95f;        // >= 1: off
    float minP = 0.f;          // <= 0: off; keeps p >= minP * p_max
    float repeatPenalty = 1.f; // 1 (or <= 0): off
    float frequencyPenalty = 0.f; // minus this x the count of each token in the window
    float presencePenalty = 0.f;  // minus this once for each token in the window
    int repeatLastN = 64;      // tokens of history penalised; 0 off, < 0 all
    uint64_t seed = 0;
};

class Sampler {
public:
    explicit Sampler(const SamplerParams& params = {});

    const SamplerParams& params() const { return params_; }
    void reseed(uint64_t seed);

    // Returns a token id in [0, n), or -1 when n <= 0. `history` is the
    // context so far (prompt + generated), oldest first; ids outside [0, n)
    // are ignored. NaN logits count as -infinity. With a filter, only ids it
    // allows are drawn; -1 when it allows none.
    int sample(const float* logits, int n, const std::vector<int>& history, TokenFilter* filter = nullptr);
    // Whether any penalty looks at the history (the sampler then needs the whole row).
    static bool penalises(const SamplerParams& p);

private:
    using Cand = std::pair<float, int>;  // (logit, id)
    void applyPenalty(const std::vector<int>& history, int n);
    void selectTopK(size_t k);  // cands_ = the k best of work_, best first
    // Puts the best of cands_[from..] in order at [from, to); [0, from) must
    // already hold the best `from`.
    void sortRange(size_t from, size_t to);
    double uniform01();  // [0, 1) from 53 random bits

    SamplerParams params_;
    std::mt19937_64 rng_;
    std::vector<float> work_;     // penalised logits, id order; reused across calls
    std::vector<Cand> cands_;     // candidates, best first once a cut needs order
    std::vector<int> penalised_;
    std::vector<double> probs_;
};

}  // namespace facet
