#include "vulkan/ops/product_tuner.h"

#include <algorithm>
#include <chrono>
#include <limits>
#include <map>
#include <optional>
#include <span>
#include <utility>
#include <string>

#include "model/ggml_type.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_device.h"
#include "vulkan/vk_kernel_choices.h"
#include "vulkan/vk_profiler.h"

namespace facet::vk {

namespace {

// One problem: its products (indices into its family's log) and candidates.
struct Problem {
    std::string key;
    std::vector<size_t> products;
    std::vector<std::vector<uint32_t>> candidates;  // choice numbers; [0] empty: the default
    std::vector<std::vector<uint32_t>> resolved;    // what each candidate records ([0]: the default resolved)
    std::vector<double> ms;                         // per candidate: the fastest replay's summed time
};

// Keeps the first `cap` candidates of every problem (at least the default
// and one more): the lists are ordered by plausibility.
void trimCandidates(std::vector<Problem>& problems, size_t& maxCandidates, size_t cap, ProductTuneReport& rep) {
    cap = std::clamp<size_t>(cap, 2, maxCandidates);
    if (cap >= maxCandidates) return;
    for (Problem& p : problems)
        if (p.candidates.size() > cap) {
            rep.trimmed += p.candidates.size() - cap;
            p.candidates.resize(cap);
            p.resolved.resize(cap);
            p.ms.resize(cap);
        }
    maxCandidates = cap;
}

// One family of products (GEMV or GEMM) with its own hooks.
template <typename Args>
struct Family {
    std::span<const Args> log;
    std::string (*key)(const Args&);
    // The candidates' choice numbers and what each records; [0] the default.
    void (*candidates)(const DeviceCaps&, const Args&, const ProductTuneOptions&,
                       std::vector<std::vector<uint32_t>>& numbers, std::vector<std::vector<uint32_t>>& resolved);
    // `a` with candidate numbers applied (empty: the default).
    Args (*with)(Args a, const std::vector<uint32_t>& numbers);
    Status (*dispatch)(Cmd&, const Args&);
    int passes;
};

template <typename Args>
Status tuneFamily(Device& dev, const Family<Args>& f, const ProductTuneOptions& o, ProductTuneReport& rep) {
    std::vector<Problem> problems;
    std::map<std::string, size_t> index;
    std::vector<int> problemOf(f.log.size(), -1);
    for (size_t i = 0; i < f.log.size(); ++i) {
        const std::string key = f.key(f.log[i]);
        auto it = index.find(key);
        if (it == index.end()) {
            it = index.emplace(key, problems.size()).first;
            Problem p;
            p.key = key;
            if (dev.kernelChoices().find(key)) {
                ++rep.known;
            } else {
                f.candidates(dev.caps(), f.log[i], o, p.candidates, p.resolved);
                if (o.maxCandidates && p.candidates.size() > o.maxCandidates) {
                    p.candidates.resize(o.maxCandidates);
                    p.resolved.resize(o.maxCandidates);
                }
                p.ms.assign(p.candidates.size(), std::numeric_limits<double>::infinity());
            }
            problems.push_back(std::move(p));
        }
        // Problems with one candidate need no timing.
        if (problems[it->second].candidates.size() > 1) {
            problems[it->second].products.push_back(i);
            problemOf[i] = static_cast<int>(it->second);
        }
    }
    rep.problems += problems.size();
    rep.products += f.log.size();
    size_t maxCandidates = 0, measured = 0;
    for (const Problem& p : problems) {
        maxCandidates = std::max(maxCandidates, p.candidates.size());
        measured += p.products.size();
    }

    if (measured) {
        if (o.onMeasure) o.onMeasure();
        const double start = o.budgetSeconds > 0 ? o.clock() : 0;
        // A product may dispatch a few windows; every dispatch takes a stamp.
        FACET_ASSIGN(auto prof, DispatchProfiler::create(dev, static_cast<uint32_t>(8 * measured + 16)));
        FACET_ASSIGN(auto cmd, Cmd::create(dev, "kernel tuner"));
        cmd->setProfiler(prof.get());
        for (int pass = 0; pass <= f.passes; ++pass) {  // pass 0 builds the pipelines, warms clocks and caches
            for (size_t c = 0; c < maxCandidates; ++c) {
                prof->clear();
                FACET_TRY(cmd->begin());
                for (size_t i = 0; i < f.log.size(); ++i) {
                    if (problemOf[i] < 0) continue;
                    const Problem& p = problems[problemOf[i]];
                    if (c >= p.candidates.size()) continue;
                    cmd->setLabel(std::to_string(problemOf[i]));
                    FACET_TRY(f.dispatch(*cmd, f.with(f.log[i], p.candidates[c])));
                    cmd->computeBarrier();
                }
                cmd->setLabel({});
                FACET_TRY(cmd->submitAndWait());
                if (prof->overflowed()) return errorf("kernel tuner: more dispatches than timestamps");
                // The time budget (a slow device with a big model, or a CPU
                // device building every pipeline through LLVM, would measure
                // for minutes): from the wall time of the default's warm-up
                // replay (its pipelines exist: the logged pass built them),
                // what every pass of a candidate would take; and in the
                // warm-up pass, which builds the other candidates' pipelines,
                // no candidate past the budget.
                if (pass == 0 && o.budgetSeconds > 0) {
                    const double wall = o.clock() - start;
                    if (c == 0 && wall > 0)
                        trimCandidates(problems, maxCandidates,
                                       static_cast<size_t>(o.budgetSeconds / (wall * (f.passes + 1))), rep);
                    if (wall > o.budgetSeconds) trimCandidates(problems, maxCandidates, c + 1, rep);
                }
                if (pass == 0) continue;
                for (const DispatchProfiler::Entry& e : prof->totalsByLabel()) {
                    Problem& p = problems[std::stoul(e.name)];
                    p.ms[c] = std::min(p.ms[c], e.ms);
                }
            }
        }
    }

    for (Problem& p : problems) {
        if (p.candidates.empty()) continue;  // known
        size_t best = 0;
        for (size_t c = 1; c < p.candidates.size(); ++c)
            if (p.ms[c] < p.ms[best]) best = c;
        if (!(p.ms[best] < p.ms[0] * (1.0 - o.minGain))) best = 0;  // within noise of the default: keep it
        dev.kernelChoices().set(p.key, p.resolved[best]);
        ++rep.tuned;
        if (best != 0) ++rep.changed;
        if (p.candidates.size() > 1) {
            rep.timings += p.candidates.size();
            rep.defaultMs += p.ms[0];
            rep.chosenMs += p.ms[best];
        }
    }
    return {};
}

void matVecFamilyCandidates(const DeviceCaps& caps, const MatVecArgs& a, const ProductTuneOptions&,
                            std::vector<std::vector<uint32_t>>& numbers, std::vector<std::vector<uint32_t>>& resolved) {
    const auto def = matVecDefaultShape(caps, a);
    if (!def.ok()) return;  // dispatchMatVec reports that; nothing to tune
    for (const MatVecShape& s : matVecCandidates(caps, a)) {
        const bool isDefault = s.wgSize == 0;
        numbers.push_back(isDefault ? std::vector<uint32_t>{} : matVecChoiceNumbers(s));
        resolved.push_back(matVecChoiceNumbers(isDefault ? def.value() : s));
    }
}

void matMatFamilyCandidates(const DeviceCaps& caps, const MatMatArgs& a, const ProductTuneOptions& o,
                            std::vector<std::vector<uint32_t>>& numbers, std::vector<std::vector<uint32_t>>& resolved) {
    for (const MatMatTile& t : matMatCandidates(caps, a, o.gpuTilesOnCpu)) {
        const bool def = t.empty();
        numbers.push_back(def ? std::vector<uint32_t>{} : matMatChoiceNumbers(t));
        resolved.push_back(matMatChoiceNumbers(def ? matMatTile(caps, a.nTok) : t));
    }
}

MatVecArgs withShape(MatVecArgs a, const std::vector<uint32_t>& n) {
    a.shape = n.empty() ? MatVecShape{} : MatVecShape{n[0], n[1], n[2], MatVecLayout(n[3])};
    return a;
}

MatMatArgs withTile(MatMatArgs a, const std::vector<uint32_t>& n) {
    a.tile = n.empty() ? MatMatTile{} : MatMatTile{n[0], n[1], n[2], n[3], n[4], n[5] == 1};
    return a;
}

}  // namespace

std::vector<MatVecShape> matVecCandidates(const DeviceCaps& caps, const MatVecArgs& a) {
    std::vector<MatVecShape> out{MatVecShape{}};
    const auto def = matVecDefaultShape(caps, a);
    const uint64_t rows = a.rowEnd - a.rowBegin;
    const bool glu = !a.pair.empty();
    const std::optional<GgmlType> tiled = a.tileRows ? std::optional(a.type) : std::nullopt;
    if (!def.ok()) return out;
    auto add = [&](MatVecShape s) {
        if (s == def.value()) return;
        if (!matVecShape(caps, a.nTok, s, rows, glu, tiled).ok()) return;
        out.push_back(s);
    };
    // Each pipeline costs a build at the first load (LLVM on llvmpipe, tens
    // of ms on a GPU driver), so the lists are the plausible shapes, not
    // every combination: small workgroups with many rows suit short rows and
    // few cores; big ones with few rows suit long rows and wide GPUs.
    if (a.tileRows || def.value().layout == MatVecLayout::Lanes) {
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

std::vector<MatMatTile> matMatCandidates(const DeviceCaps& caps, const MatMatArgs& a, bool gpuTilesOnCpu) {
    std::vector<MatMatTile> out{MatMatTile{}};
    // CPU devices: their register tiles take seconds each to build (see matMatTile).
    if (caps.type == DeviceType::Cpu && !gpuTilesOnCpu) return out;
    const MatMatTile def = matMatTile(caps, a.nTok);
    // More outputs per invocation (8 x 8) reuse each shared load more;
    // bigger tiles read the weights fewer times; BK 32 halves the barriers.
    for (const MatMatTile& t : {MatMatTile{64, 64, 16, 4, 8}, {64, 64, 16, 8, 4}, {64, 64, 16, 8, 8},
                                {128, 64, 16, 8, 4}, {128, 64, 16, 8, 8}, {128, 128, 16, 8, 8}, {64, 64, 32, 4, 4},
                                {128, 64, 32, 8, 8}, {32, 64, 16, 4, 4}, {128, 32, 16, 8, 4}})
        if (t != def && checkMatMatTile(t, caps).ok()) out.push_back(t);
    return out;
}

Result<ProductTuneReport> tuneProducts(Device& dev, const ProductLog& log, const ProductTuneOptions& o) {
    const auto t0 = std::chrono::steady_clock::now();
    ProductTuneReport rep;
    ProductTuneOptions once = o;  // onMeasure: once, whichever family measures first
    if (!once.clock)
        once.clock = [] {
            return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
        };
    bool told = false;
    once.onMeasure = [&] {
        if (!told && o.onMeasure) o.onMeasure();
        told = true;
    };
    FACET_TRY(tuneFamily<MatMatArgs>(dev, {log.matMat, matMatChoiceKey, matMatFamilyCandidates, withTile, dispatchMatMat,
                                           o.gemmPasses},
                                     once, rep));
    FACET_TRY(tuneFamily<MatVecArgs>(dev, {log.matVec, matVecChoiceKey, matVecFamilyCandidates, withShape, dispatchMatVec,
                                           o.passes},
                                     once, rep));
    rep.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    return rep;
}

}  // namespace facet::vk
