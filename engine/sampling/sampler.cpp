// Sampler pipeline (see sampler.h).
#include "sampling/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace facet {

namespace {

// Higher logit first; equal logits keep the lower id first, so every cut and
// the greedy pick are deterministic.
bool better(const std::pair<float, int>& a, const std::pair<float, int>& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
}

}  // namespace

Sampler::Sampler(const SamplerParams& params) : params_(params), rng_(params.seed) {}

void Sampler::reseed(uint64_t seed) {
    params_.seed = seed;
    rng_.seed(seed);
}

double Sampler::uniform01() {
    return static_cast<double>(rng_() >> 11) * (1.0 / 9007199254740992.0);  // 2^-53
}

bool Sampler::penalises(const SamplerParams& p) {
    const bool repeat = p.repeatPenalty > 0.f && p.repeatPenalty != 1.f;
    return p.repeatLastN != 0 && (repeat || p.frequencyPenalty != 0.f || p.presencePenalty != 0.f);
}

void Sampler::applyPenalty(const std::vector<int>& history, int n) {
    if (!penalises(params_) || history.empty()) return;
    const float pen = params_.repeatPenalty > 0.f ? params_.repeatPenalty : 1.f;
    const size_t last = params_.repeatLastN < 0 ? history.size()
                                                : std::min(history.size(), static_cast<size_t>(params_.repeatLastN));
    penalised_.clear();
    for (size_t i = history.size() - last; i < history.size(); ++i)
        if (history[i] >= 0 && history[i] < n) penalised_.push_back(history[i]);
    std::sort(penalised_.begin(), penalised_.end());
    // Each distinct token: the repetition penalty once, however often it
    // repeats; the frequency penalty per occurrence; the presence penalty once.
    for (size_t i = 0; i < penalised_.size();) {
        size_t j = i;
        while (j < penalised_.size() && penalised_[j] == penalised_[i]) ++j;
        float& v = work_[penalised_[i]];
        if (pen != 1.f) v = v > 0.f ? v / pen : v * pen;
        v -= params_.frequencyPenalty * static_cast<float>(j - i) + params_.presencePenalty;
        i = j;
    }
}

int Sampler::sample(const float* logits, int n, const std::vector<int>& history, TokenFilter* filter) {
    if (n <= 0 || logits == nullptr) return -1;
    const float negInf = -std::numeric_limits<float>::infinity();
    work_.resize(n);
    for (int i = 0; i < n; ++i) work_[i] = std::isnan(logits[i]) ? negInf : logits[i];
    applyPenalty(history, n);
    if (filter) {
        bool any = false;
        for (int i = 0; i < n; ++i) {
            if (work_[i] == negInf) continue;
            if (filter->allows(i)) any = true;
            else work_[i] = negInf;
        }
        if (!any) return -1;
    }

    int best = 0;  // strict '>' keeps the lowest id among equal maxima
    for (int i = 1; i < n; ++i)
        if (work_[i] > work_[best]) best = i;
    if (!(params_.temperature > 0.f) || !std::isfinite(work_[best])) return best;

    // Temperature + softmax weights relative to the best logit (weight 1).
    const double invT = 1.0 / params_.temperature;
    const double top = work_[best];
    auto weight = [&](float logit) { return std::exp((static_cast<double>(logit) - top) * invT); };

    // Candidates, best first. Only what a cut needs gets ordered: the k best
    // for top-k (one pass + a k-heap on Gemma's 262144 ids); for top-p alone a
    // growing sorted prefix until it holds the top-p mass; else nothing.
    double norm = 0.0;  // the mass top-p is a fraction of
    bool sorted = true;
    if (params_.topK > 0 && params_.topK < n) {
        selectTopK(static_cast<size_t>(params_.topK));
        for (const Cand& c : cands_) norm += weight(c.first);
    } else {
        cands_.resize(n);
        for (int i = 0; i < n; ++i) cands_[i] = {work_[i], i};
        if (params_.topP < 1.f) {
            for (const Cand& c : cands_) norm += weight(c.first);
            const double target = static_cast<double>(params_.topP) * norm;
            // [0, done) already holds the best `done`, in order; extend it.
            double mass = 0.0;
            for (size_t done = 0, m = std::min<size_t>(n, 256);; done = m, m = std::min<size_t>(n, m * 4)) {
                sortRange(done, m);
                for (size_t i = done; i < m; ++i) mass += weight(cands_[i].first);
                if (mass >= target || m == static_cast<size_t>(n)) {
                    cands_.resize(m);
                    break;
                }
            }
        } else {
            std::swap(cands_[0], cands_[best]);
            sorted = false;
        }
    }
    const size_t k = cands_.size();
    probs_.resize(k);
    for (size_t i = 0; i < k; ++i) probs_[i] = weight(cands_[i].first);

    // Top-p: the shortest sorted prefix whose mass reaches topP (at least one token).
    size_t keep = k;
    if (sorted && params_.topP < 1.f) {
        const double target = static_cast<double>(params_.topP) * norm;
        double cum = 0.0;
        for (size_t i = 0; i < k; ++i) {
            cum += probs_[i];
            if (cum >= target) {
                keep = i + 1;
                break;
            }
        }
    }
    // Min-p: drop tokens under minP x the best's weight (1); index 0 is the best and stays.
    if (params_.minP > 0.f) {
        for (size_t i = 1; i < keep; ++i)
            if (probs_[i] < params_.minP) probs_[i] = 0.0;
    }

    double mass = 0.0;
    for (size_t i = 0; i < keep; ++i) mass += probs_[i];
    const double u = uniform01() * mass;
    double cum = 0.0;
    for (size_t i = 0; i < keep; ++i) {
        cum += probs_[i];
        if (u < cum) return cands_[i].second;
    }
    // Rounding left u at the very top: the last kept token with any mass.
    for (size_t i = keep; i-- > 0;)
        if (probs_[i] > 0.0) return cands_[i].second;
    return cands_[0].second;
}

void Sampler::selectTopK(size_t k) {
    // A heap ordered by `better` keeps its worst member on top; most ids lose
    // one comparison against it and cost nothing more.
    cands_.clear();
    const int n = static_cast<int>(work_.size());
    for (int i = 0; i < n; ++i) {
        const Cand c{work_[i], i};
        if (cands_.size() < k) {
            cands_.push_back(c);
            std::push_heap(cands_.begin(), cands_.end(), better);
        } else if (better(c, cands_.front())) {
            std::pop_heap(cands_.begin(), cands_.end(), better);
            cands_.back() = c;
            std::push_heap(cands_.begin(), cands_.end(), better);
        }
    }
    std::sort_heap(cands_.begin(), cands_.end(), better);
}

void Sampler::sortRange(size_t from, size_t to) {
    if (to < cands_.size()) std::nth_element(cands_.begin() + from, cands_.begin() + (to - 1), cands_.end(), better);
    std::sort(cands_.begin() + from, cands_.begin() + to, better);
}

}  // namespace facet
