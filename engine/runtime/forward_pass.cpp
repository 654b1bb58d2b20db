#include "runtime/forward_pass.h"

#include "cpu/elementwise.h"

namespace facet {

Status ForwardPass::forwardTopK(const std::vector<int>& tokens, int k, std::vector<int>& ids,
                                std::vector<float>& values) {
    std::vector<float> logits;
    FACET_TRY(forward(tokens, false, logits));
    ids.clear();
    values.clear();
    for (const cpu::Candidate& c : cpu::topK(logits.data(), static_cast<int>(logits.size()), k)) {
        ids.push_back(c.id);
        values.push_back(c.value);
    }
    return {};
}

Status ForwardPass::forwardInjected(const std::vector<int>& tokens, const std::vector<InjectedRows>& injected,
                                    bool allLogits, std::vector<float>& logits) {
    if (!injected.empty()) return errorf("the %s backend takes no image input", backendName());
    return forward(tokens, allLogits, logits);
}

}  // namespace facet
