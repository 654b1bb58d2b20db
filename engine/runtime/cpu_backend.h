// The CPU reference forward as a ForwardPass backend.
#pragma once

#include <memory>

#include "cpu/cpu_forward.h"
#include "runtime/forward_pass.h"

namespace facet {

class CpuBackend final : public ForwardPass {
public:
    CpuBackend(const ModelDesc& d, const ModelWeights& w, int maxContext) : fwd_(d, w, maxContext) {}
    Status forward(const std::vector<int>& tokens, bool allLogits, std::vector<float>& logits) override {
        return fwd_.forward(tokens, allLogits, logits);
    }
    Status forwardInjected(const std::vector<int>& tokens, const std::vector<InjectedRows>& injected, bool allLogits,
                           std::vector<float>& logits) override {
        return fwd_.forward(tokens, injected, allLogits, logits);
    }
    int nPast() const override { return fwd_.nPast(); }
    int maxContext() const override { return fwd_.maxContext(); }
    bool rewind(int pos) override { return fwd_.rewind(pos); }
    void reset() override { fwd_.reset(); }
    const char* backendName() const override { return "cpu"; }
    cpu::CpuForward& reference() { return fwd_; }

private:
    cpu::CpuForward fwd_;
};

}  // namespace facet
