#include "vulkan/ops/mat_vec_tuner.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <utility>
#include <string>

#include "model/ggml_type.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_kernel_choices.h"
#include "vulkan/vk_profiler.h"

namespace facet::vk {

namespace {

bool sameShape(const MatVecShape& a, const MatVecShape& b) {
    return a.wgSize == b.wgSize && a.rows == b.rows && a.unroll == b.unroll && a.layout == b.layout;
}

uint32_t gluOf(const MatVecArgs& a) { return a.pair.empty() ? 0u : 1u; }

// What dispatchMatVec makes of a product that sets no shape, before any choice.
Result<MatVecShape> defaultShape(const DeviceCaps& caps, const MatVecArgs& a) {
    return matVecShape(caps, a.nTok, {}, a.rowEnd - a.rowBegin, gluOf(a) != 0,
                       a.tileRows ? std::optional(a.type) : std::nullopt);
}

// One problem: its products (indices into the log) and its candidates.
struct Problem {
    std::string key;
    std::vector<size_t> products;
    std::vector<MatVecShape> candidates;  // [0]: zeros (the default)
    std::vector<double> ms;               // per candidate: the fastest replay's summed time
};

}  // namespace

std::vector<MatVecShape> matVecCandidates(const DeviceCaps& caps, const MatVecArgs& a) {
    std::vector<MatVecShape> out{MatVecShape{}};
    const auto def = defaultShape(caps, a);
    const uint64_t rows = a.rowEnd - a.rowBegin;
    const bool glu = gluOf(a) != 0;
    const std::optional<GgmlType> tiled = a.tileRows ? std::optional(a.type) : std::nullopt;
    auto add = [&](MatVecShape s) {
        if (def.ok() && sameShape(s, def.value())) return;
        if (!matVecShape(caps, a.nTok, s, rows, glu, tiled).ok()) return;
        out.push_back(s);
    };
    // Each pipeline costs a build at the first load (LLVM on llvmpipe, tens
    // of ms on a GPU driver), so the lists are the plausible shapes, not
    // every combination: small workgroups with many rows suit short rows and
    // few cores; big ones with few rows suit long rows and wide GPUs.
    if (a.tileRows || (def.ok() && def.value().layout == MatVecLayout::Lanes)) {
        for (uint32_t wg : {8u, 16u, 32u})
            for (uint32_t r : {2u, 4u, 8u}) add({wg, r, 1, MatVecLayout::Lanes});
        add({64, 8, 1, MatVecLayout::Lanes});
        return out;
    }
    for (auto [wg, r] : {std::pair{32u, 4u}, {32u, 8u}, {64u, 1u}, {64u, 2u}, {64u, 4u}, {64u, 8u}, {128u, 1u},
                         {128u, 2u}, {128u, 4u}, {256u, 1u}, {256u, 2u}})
        add({wg, r, 1, MatVecLayout::Groups});
    for (uint32_t r : {2u, 4u}) add({64, r, 2, MatVecLayout::Groups});
    if (typeInfo(a.type).blockElems > 1)
        for (auto [wg, r] : {std::pair{32u, 2u}, {32u, 4u}, {64u, 1u}, {64u, 2u}, {64u, 4u}, {128u, 1u}, {128u, 2u},
                             {256u, 1u}})
            add({wg, r, 1, MatVecLayout::Blocks});
    return out;
}

Result<MatVecTuneReport> tuneMatVec(Device& dev, std::span<const MatVecArgs> products, const MatVecTuneOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    MatVecTuneReport rep;
    rep.products = products.size();

    // The problems without a choice, in the order they first appear.
    std::vector<Problem> problems;
    std::map<std::string, size_t> index;
    std::vector<int> problemOf(products.size(), -1);
    for (size_t i = 0; i < products.size(); ++i) {
        const std::string key = matVecChoiceKey(products[i]);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.emplace(key, problems.size()).first;
            Problem p;
            p.key = key;
            if (!dev.kernelChoices().find(key)) {
                p.candidates = matVecCandidates(dev.caps(), products[i]);
                if (o.maxCandidates) p.candidates.resize(std::min<size_t>(p.candidates.size(), o.maxCandidates));
                p.ms.assign(p.candidates.size(), std::numeric_limits<double>::infinity());
            }
            problems.push_back(std::move(p));
        }
        if (!problems[it->second].candidates.empty()) {
            problems[it->second].products.push_back(i);
            problemOf[i] = static_cast<int>(it->second);
        }
    }
    rep.problems = problems.size();
    size_t maxCandidates = 0, measured = 0;
    for (const Problem& p : problems) {
        if (p.candidates.empty()) ++rep.known;
        maxCandidates = std::max(maxCandidates, p.candidates.size());
        measured += p.products.size();
    }
    if (measured == 0) return rep;

    // A product may dispatch a few row windows; every dispatch takes a stamp.
    FACET_ASSIGN(auto prof, DispatchProfiler::create(dev, static_cast<uint32_t>(8 * measured + 16)));
    FACET_ASSIGN(auto cmd, Cmd::create(dev, "kernel tuner"));
    cmd->setProfiler(prof.get());
    for (int pass = 0; pass <= o.passes; ++pass) {  // pass 0 builds the pipelines and warms clocks and caches
        for (size_t c = 0; c < maxCandidates; ++c) {
            prof->clear();
            FACET_TRY(cmd->begin());
            for (size_t i = 0; i < products.size(); ++i) {
                if (problemOf[i] < 0) continue;
                const Problem& p = problems[problemOf[i]];
                if (c >= p.candidates.size()) continue;
                MatVecArgs a = products[i];
                a.shape = p.candidates[c];
                cmd->setLabel(std::to_string(problemOf[i]));
                FACET_TRY(dispatchMatVec(*cmd, a));
                cmd->computeBarrier();
            }
            cmd->setLabel({});
            FACET_TRY(cmd->submitAndWait());
            if (prof->overflowed()) return errorf("kernel tuner: more dispatches than timestamps");
            if (pass == 0) continue;
            for (const DispatchProfiler::Entry& e : prof->totalsByLabel()) {
                Problem& p = problems[std::stoul(e.name)];
                p.ms[c] = std::min(p.ms[c], e.ms);
            }
        }
    }

    for (Problem& p : problems) {
        if (p.candidates.empty()) continue;
        size_t best = 0;
        for (size_t c = 1; c < p.candidates.size(); ++c)
            if (p.ms[c] < p.ms[best]) best = c;
        if (p.ms[best] > p.ms[0] * (1.0 - o.minGain)) best = 0;  // within noise of the default: keep it
        MatVecShape chosen = p.candidates[best];
        if (best == 0) {
            FACET_ASSIGN(chosen, defaultShape(dev.caps(), products[p.products[0]]));
        }
        dev.kernelChoices().set(p.key, matVecChoiceNumbers(chosen));
        ++rep.tuned;
        if (best != 0) ++rep.changed;
        rep.timings += p.candidates.size();
        rep.defaultMs += p.ms[0];
        rep.chosenMs += p.ms[best];
    }
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
}

}  // namespace facet::vk
