#include "cli_common.h"

#include <cstdio>
#include <filesystem>

#include "model/gguf_file.h"
#include "model/hf_folder.h"
#include "runtime/cpu_backend.h"
#include "runtime/vulkan_backend.h"

namespace facet::cli {

int fail(const std::string& message) {
    std::string line = message;
    for (char& c : line)
        if (c == '\n') c = ' ';
    std::fprintf(stderr, "facet-cli: %s\n", line.c_str());
    return 1;
}

Result<std::unique_ptr<Tokenizer>> openTokenizer(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        const std::string json = (fs::path(path) / "tokenizer.json").string();
        if (!fs::exists(json, ec)) return errorf("%s: the folder has no tokenizer.json", path.c_str());
        return Tokenizer::fromTokenizerJson(json);
    }
    if (fs::path(path).extension() == ".json") return Tokenizer::fromTokenizerJson(path);
    FACET_ASSIGN(auto gguf, GgufFile::open(path));
    return Tokenizer::fromGguf(*gguf);
}

Result<std::unique_ptr<Tokenizer>> tokenizerForModel(const Model& m) {
    if (m.gguf()) return Tokenizer::fromGguf(*m.gguf());
    if (m.hfFolder()->tokenizerJsonPath().empty())
        return errorf("%s: the folder has no tokenizer.json", m.path().c_str());
    return Tokenizer::fromTokenizerJson(m.hfFolder()->tokenizerJsonPath());
}

Result<std::unique_ptr<ForwardPass>> makeBackend(const Model& m, const Args& args, int ctx) {
    std::string backend = args.get("--backend").value_or("");
    if (backend.empty()) backend = vulkanDeviceAvailable() ? "vulkan" : "cpu";  // Vulkan when a device exists
    if (backend == "cpu") {
        std::unique_ptr<ForwardPass> b = std::make_unique<CpuBackend>(m.desc(), m.weights(), ctx);
        return b;
    }
    if (backend == "vulkan") {
        VulkanBackendOptions o;
        o.device = args.get("--device").value_or("");
        o.maxContext = ctx;
        FACET_ASSIGN(auto b, VulkanBackend::create(m, o));
        std::unique_ptr<ForwardPass> p = std::move(b);
        return p;
    }
    return errorf("unknown backend '%s' (cpu or vulkan)", backend.c_str());
}

}  // namespace facet::cli
