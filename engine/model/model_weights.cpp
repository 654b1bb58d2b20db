#include "model/model_weights.h"

#include <optional>
#include <string>

namespace facet {

const TensorView* ModelWeights::head() const {
    const TensorView* out = global[TensorRole::Output];
    return out ? out : global[TensorRole::TokenEmbd];
}

static std::string neString(const std::vector<int64_t>& ne) {
    std::string s = "[";
    for (size_t i = 0; i < ne.size(); ++i) s += (i ? ", " : "") + std::to_string(ne[i]);
    return s + "]";
}

static bool shapeMatches(const TensorView& t, const std::vector<int64_t>& ne) {
    // Trailing 1-dims are equivalent ({64} == {64, 1}).
    for (size_t i = 0; i < 4; ++i) {
        int64_t want = i < ne.size() ? ne[i] : 1;
        if (t.ne[i] != want) return false;
    }
    return true;
}

// Fused unless the first MoE layer has a split half and no fused tensor, so
// a file with only one half is bound as split and the binder names the other.
static Result<ExpertLayout> expertLayoutOf(const ModelDesc& d, const TensorLookup& lookup,
                                          const std::string& fileName) {
    std::optional<ExpertLayout> layout;
    for (const TensorSpec& s : tensorList(d)) {
        if (s.role != TensorRole::GateUpExps) continue;
        const bool fused = lookup(s.name) != nullptr;
        const std::array<TensorSpec, 2> halves = splitGateUp(s);
        const TensorSpec* half = nullptr;
        for (const TensorSpec& h : halves)
            if (!half && lookup(h.name)) half = &h;
        if (fused && half)
            return errorf("%s: tensors '%s' and '%s' hold the same expert rows: a file has the fused or the split "
                          "form, not both", fileName.c_str(), s.name.c_str(), half->name.c_str());
        if (!layout) layout = fused || !half ? ExpertLayout::Fused : ExpertLayout::Split;
    }
    return layout.value_or(ExpertLayout::Fused);
}

Result<ModelWeights> bindWeights(const ModelDesc& d, const TensorLookup& lookup, const std::string& fileName) {
    ModelWeights w;
    w.layers.resize(d.nLayers);
    FACET_ASSIGN(w.experts, expertLayoutOf(d, lookup, fileName));
    std::string error;
    forEachTensor(d, [&](const TensorSpec& spec) {
        if (!error.empty() || spec.need == Need::Ignored) return;
        const TensorView* t = lookup(spec.name);
        if (!t) {
            if (spec.need == Need::Required)
                error = fileName + ": required tensor '" + spec.name + "' " + neString(spec.ne) + " is missing" +
                        (spec.role == TensorRole::GateUpExps ? " (nor are its halves ffn_gate_exps + ffn_up_exps)"
                                                             : "");
            return;
        }
        if (!shapeMatches(*t, spec.ne)) {
            char off[32];
            std::snprintf(off, sizeof off, "@0x%llx", static_cast<unsigned long long>(t->fileOffset));
            error = fileName + ": tensor '" + spec.name + "' " + off + ": shape " + shapeString(*t) +
                    ", expected " + neString(spec.ne);
            return;
        }
        if (!isSupportedType(t->type)) {
            error = fileName + ": tensor '" + spec.name + "' has type " + typeName(t->type) + ", which Facet cannot read";
            return;
        }
        LayerWeights& slot = spec.layer < 0 ? w.global : w.layers[spec.layer];
        slot.t[static_cast<size_t>(spec.role)] = t;
    }, w.experts);
    if (!error.empty()) return makeError(error);
    return w;
}

}  // namespace facet
