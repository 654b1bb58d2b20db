#include "runtime/backend_factory.h"

#include "model/gguf_file.h"
#include "model/hf_folder.h"
#include "runtime/cpu_backend.h"
#include "runtime/vulkan_backend.h"

namespace facet {

Result<std::unique_ptr<Tokenizer>> tokenizerForModel(const Model& m) {
    if (m.gguf()) return Tokenizer::fromGguf(*m.gguf());
    if (!m.hfFolder() || m.hfFolder()->tokenizerJsonPath().empty())
        return errorf("%s: the folder has no tokenizer.json", m.path().c_str());
    return Tokenizer::fromTokenizerJson(m.hfFolder()->tokenizerJsonPath());
}

Result<std::unique_ptr<ForwardPass>> makeBackend(const Model& m, const BackendChoice& c) {
    std::string backend = c.backend;
    if (backend.empty()) backend = vulkanDeviceAvailable() ? "vulkan" : "cpu";
    if (backend == "cpu") {
        std::unique_ptr<ForwardPass> b = std::make_unique<CpuBackend>(m.desc(), m.weights(), c.maxContext);
        return b;
    }
    if (backend == "vulkan") {
        VulkanBackendOptions o;
        o.device = c.device;
        o.maxContext = c.maxContext;
        o.minBatch = c.minBatch;
        o.progress = c.progress;
        o.tuning = c.tuning;
        FACET_ASSIGN(auto b, VulkanBackend::create(m, o));
        std::unique_ptr<ForwardPass> p = std::move(b);
        return p;
    }
    return errorf("unknown backend '%s' (cpu or vulkan)", backend.c_str());
}

}  // namespace facet
