#include "runtime/generator.h"

#include <algorithm>
#include <chrono>

namespace facet {

namespace {

// Candidates the backend may rank for the sampler (0: it needs the whole row).
int candidateCount(const SamplerParams& p) {
    constexpr int kMaxCandidates = 64;  // the GPU top-k bound (kLogitsMaxK)
    if (Sampler::penalises(p)) return 0;
    if (p.temperature <= 0.f) return 1;
    return p.topK > 0 && p.topK <= kMaxCandidates ? p.topK : 0;
}

}  // namespace

const char* stopReasonName(StopReason r) {
    switch (r) {
        case StopReason::StopToken: return "stop token";
        case StopReason::MaxTokens: return "max tokens";
        case StopReason::Cancelled: return "cancelled";
        case StopReason::ContextFull: return "context full";
    }
    return "?";
}

void Generator::reset() {
    backend_.reset();
    cached_.clear();
    cachedImages_.clear();
}

size_t Generator::reusablePrefix(const std::vector<int>& prompt, const std::vector<InjectedRows>& images) const {
    size_t common = 0;
    while (common < cached_.size() && common < prompt.size() && cached_[common] == prompt[common]) ++common;
    // Placeholder ids match whatever picture they stand for: an image is kept
    // only when the prompt has the same one (key and span) where it lies.
    auto same = [](const InjectedRows& a, const InjectedRows& b) {
        return a.begin == b.begin && a.end == b.end && a.key == b.key;
    };
    for (const InjectedRows& c : cachedImages_)
        if (static_cast<size_t>(c.begin) < common &&
            std::none_of(images.begin(), images.end(), [&](const InjectedRows& p) { return same(p, c); }))
            common = static_cast<size_t>(c.begin);
    for (const InjectedRows& p : images)
        if (static_cast<size_t>(p.begin) < common &&
            std::none_of(cachedImages_.begin(), cachedImages_.end(), [&](const InjectedRows& c) { return same(p, c); }))
            common = static_cast<size_t>(p.begin);
    return common;
}

using Clock = std::chrono::steady_clock;
static double secondsSince(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }

Status Generator::prefill(const std::vector<int>& prompt, const GenerateOptions& opts, std::vector<float>& logits,
                          GenerateStats& st) {
    // Longest common prefix with what is cached; keep at least one token to
    // run so that we get logits for the last prompt position.
    const std::vector<InjectedRows>& images = opts.images;
    int covered = 0;  // pictures in order, inside the prompt, with their width (a chunk may split a causal one)
    for (const InjectedRows& r : images) {
        if (r.begin < covered || r.begin >= r.end || r.end > static_cast<int>(prompt.size()) || !r.rows || r.width <= 0)
            return errorf("generate: picture rows [%d, %d) of width %d do not fit a prompt of %zu tokens in order",
                          r.begin, r.end, r.width, prompt.size());
        covered = r.end;
    }
    size_t common = reusablePrefix(prompt, images);
    if (common == prompt.size()) --common;
    // An image cut by the reuse point runs again whole.
    for (const InjectedRows& r : images)
        if (static_cast<size_t>(r.begin) < common && static_cast<size_t>(r.end) > common) common = r.begin;
    if (!backend_.rewind(static_cast<int>(common))) common = 0;  // ring overwritten: start over
    if (common == 0) backend_.reset();
    cached_.resize(common);
    cachedImages_.clear();
    st.reusedTokens = static_cast<int>(common);

    const auto t0 = Clock::now();
    const size_t chunk = static_cast<size_t>(std::max(1, opts.prefillChunk));
    std::vector<InjectedRows> part;
    for (size_t i = common, end = 0; i < prompt.size(); i = end) {
        end = std::min(prompt.size(), i + chunk);
        for (const InjectedRows& r : images)  // a bidirectional block runs in one call
            if (r.bidirectional && static_cast<size_t>(r.begin) < end && static_cast<size_t>(r.end) > end)
                end = static_cast<size_t>(r.begin) > i ? static_cast<size_t>(r.begin) : static_cast<size_t>(r.end);
        part.clear();
        for (const InjectedRows& r : images)
            if (static_cast<size_t>(r.begin) < end && static_cast<size_t>(r.end) > i) {
                const int b = std::max(r.begin, static_cast<int>(i)), e = std::min(r.end, static_cast<int>(end));
                part.push_back(r);
                part.back().begin = b - static_cast<int>(i);
                part.back().end = e - static_cast<int>(i);
                part.back().rows = r.rows + static_cast<size_t>(b - r.begin) * static_cast<size_t>(r.width);
            }
        const std::vector<int> ids(prompt.begin() + i, prompt.begin() + end);
        Status s = backend_.forwardInjected(ids, part, false, logits);
        if (!s.ok()) {
            reset();
            return s;
        }
        cached_.insert(cached_.end(), ids.begin(), ids.end());
    }
    for (const InjectedRows& r : images) {
        cachedImages_.push_back(r);
        cachedImages_.back().rows = nullptr;
    }
    st.prefillSeconds = secondsSince(t0);
    return {};
}

Result<std::vector<float>> Generator::nextLogits(const std::vector<int>& prompt, int prefillChunk,
                                                 const std::vector<InjectedRows>& images) {
    if (prompt.empty()) return errorf("next logits: the prompt is empty");
    if (static_cast<int>(prompt.size()) >= backend_.maxContext())
        return errorf("next logits: the prompt has %zu tokens but the context holds %d", prompt.size(),
                      backend_.maxContext());
    GenerateOptions opts;
    opts.prefillChunk = prefillChunk;
    opts.images = images;
    GenerateStats st;
    std::vector<float> logits;
    FACET_TRY(prefill(prompt, opts, logits, st));
    return logits;
}

Result<GenerateStats> Generator::generate(const std::vector<int>& prompt, const GenerateOptions& opts,
                                          const std::function<bool(int)>& onToken) {
    GenerateStats st;
    st.promptTokens = static_cast<int>(prompt.size());
    if (prompt.empty()) return errorf("generate: the prompt is empty");
    if (static_cast<int>(prompt.size()) >= backend_.maxContext())
        return errorf("generate: the prompt has %zu tokens but the context holds %d", prompt.size(),
                      backend_.maxContext());

    std::vector<float> logits;
    FACET_TRY(prefill(prompt, opts, logits, st));

    Sampler sampler(opts.sampling);
    std::vector<int> history(prompt);
    // Decode steps rank on the backend when the sampler only looks at the k
    // best logits anyway (no repetition penalty, greedy or a top-k cut): the
    // softmax of the k candidates is the same distribution.
    // A filter masks the whole row before any cut.
    const int k = opts.filter ? 0 : candidateCount(opts.sampling);
    std::vector<int> candIds;  // empty: `logits` is the whole vocabulary row
    const auto t0 = Clock::now();
    st.reason = StopReason::MaxTokens;
    while (st.generated < opts.maxTokens) {
        if (opts.cancel && opts.cancel->load()) {
            st.reason = StopReason::Cancelled;
            break;
        }
        int tok;
        if (candIds.empty()) {
            tok = sampler.sample(logits.data(), static_cast<int>(logits.size()), history, opts.filter);
            if (tok < 0 && opts.filter) return errorf("generate: the output constraint allows no token here");
            if (opts.filter) opts.filter->accept(tok);
        } else {
            const int j = sampler.sample(logits.data(), static_cast<int>(logits.size()), {});
            tok = j < 0 ? -1 : candIds[j];
        }
        if (std::find(opts.stopIds.begin(), opts.stopIds.end(), tok) != opts.stopIds.end()) {
            st.reason = StopReason::StopToken;
            st.stopToken = tok;
            break;
        }
        ++st.generated;
        history.push_back(tok);
        if (onToken && !onToken(tok)) {
            st.reason = StopReason::Cancelled;
            break;
        }
        if (st.generated >= opts.maxTokens) break;
        if (backend_.nPast() + 1 > backend_.maxContext()) {
            st.reason = StopReason::ContextFull;
            break;
        }
        Status s = k > 0 ? backend_.forwardTopK({tok}, k, candIds, logits) : backend_.forward({tok}, false, logits);
        if (!s.ok()) {
            reset();
            return s.error();
        }
        cached_.push_back(tok);
    }
    st.decodeSeconds = secondsSince(t0);
    return st;
}

}  // namespace facet
