// Shared pieces of the facet-cli commands: opening models, tokenizers and a
// forward backend from command-line options.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "chat/chat_format.h"
#include "cli_args.h"
#include "runtime/backend_factory.h"
#include "runtime/image_encoder.h"
#include "model/model.h"
#include "runtime/forward_pass.h"
#include "tokenizer/tokenizer.h"

namespace facet::cli {

// A .gguf, an HF folder (its tokenizer.json) or a tokenizer.json file.
Result<std::unique_ptr<Tokenizer>> openTokenizer(const std::string& path);
using facet::tokenizerForModel;

// "--backend cpu|vulkan"; the context defaults to `fallbackCtx`.
// `minBatch`: tokens one batch must hold (BackendChoice::minBatch).
Result<std::unique_ptr<ForwardPass>> makeBackend(const Model& m, const Args& args, int ctx, int minBatch = 0);

int commandTokenize(const std::vector<std::string>& argv);
int commandGenerate(const std::vector<std::string>& argv);
int commandLogits(const std::vector<std::string>& argv);
int commandEmbed(const std::vector<std::string>& argv);
int commandInfo(const std::vector<std::string>& argv);
int commandDevices(const std::vector<std::string>& argv);
int commandDownload(const std::vector<std::string>& argv);  // only with FACET_CLI_DOWNLOAD (Qt Network)
int commandDocs(const std::vector<std::string>& argv);      // only with FACET_CLI_DOCS (facet_documents)
int commandServe(const std::vector<std::string>& argv);     // only with FACET_CLI_SERVE (facet_server)
int commandEmbedImage(const std::vector<std::string>& argv);  // only with FACET_CLI_VISION (facet_vision)
// logits with --mmproj/--image: the picture's soft tokens in place of the placeholders.
int logitsWithImage(const Args& a, const Model& model, const std::vector<int>& ids, const std::string& out);
// generate with --mmproj/--image (every --image, in order, before the last
// message's text; --image-tokens sets the budget): the rendered prompt and
// its pictures' soft tokens.
struct ImagePrompt {
    std::vector<int> ids;
    std::unique_ptr<ImageEncoder> encoder;
    std::vector<EncodedImage> images;
};
Result<ImagePrompt> imagePrompt(const Args& a, const Model& model, const Tokenizer& tok,
                                std::vector<ChatMessage> messages, bool thinking);

// Writes `values` as float32 little-endian to `path`, through a temporary
// file renamed into place, so a failure leaves no partial file.
Status writeFloats(const std::string& path, const std::vector<float>& values);

// Prints "facet-cli: <message>" on stderr and returns 1.
int fail(const std::string& message);

}  // namespace facet::cli
