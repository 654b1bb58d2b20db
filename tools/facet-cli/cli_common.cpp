#include "cli_common.h"

#include <cstdio>
#include <filesystem>

#include "core/replace_file.h"
#include "model/gguf_file.h"
#include "model/gguf_split.h"
#include "model/hf_folder.h"
#include "runtime/backend_factory.h"

namespace facet::cli {

Status writeFloats(const std::string& path, const std::vector<float>& values) {
    static_assert(sizeof(float) == 4, "float32 output");
    return replaceFile(path, {reinterpret_cast<const char*>(values.data()), values.size() * sizeof(float)});
}

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
    FACET_ASSIGN(auto gguf, openGgufHead(path));  // part 1 of a split model holds the vocabulary
    return Tokenizer::fromGguf(*gguf);
}

Result<std::unique_ptr<ForwardPass>> makeBackend(const Model& m, const Args& args, int ctx, int minBatch) {
    BackendChoice c;
    c.backend = args.get("--backend").value_or("");
    c.device = args.get("--device").value_or("");
    c.maxContext = ctx;
    c.minBatch = minBatch;
    return facet::makeBackend(m, c);
}

}  // namespace facet::cli
