// facet-cli generate --mmproj PATH --image FILE...: the chat prompt with the
// pictures in the user's turn (gemma4-vision.md §7), their soft tokens made
// by the projector before the text model loads.
#include <QString>

#include "chat/chat_format.h"
#include "cli_common.h"
#include "image_loader.h"

namespace facet::cli {

Result<ImagePrompt> imagePrompt(const Args& a, const Model& model, const Tokenizer& tok,
                                std::vector<ChatMessage> messages, bool thinking) {
    FACET_ASSIGN(std::string mmproj, a.require("--mmproj"));
    FACET_ASSIGN(long long budget, a.getInt("--image-tokens", kImageTokensDefault, 1, kImageTokensDetailed));
    if (messages.empty() || messages.back().role != ChatMessage::User)
        return errorf("image input needs a user message");
    for (const std::string& file : a.getAll("--image")) {
        FACET_ASSIGN(RgbImage rgb, loadImageFile(QString::fromStdString(file)));
        messages.back().images.push_back(makeChatImage(std::move(rgb)));
    }
    ImagePrompt out;
    FACET_ASSIGN(out.encoder, ImageEncoder::open(mmproj, model.desc()));
    // The tower where the text model runs: Vulkan unless --backend cpu (a
    // machine without a Vulkan device keeps the CPU reference).
    const std::string backend = a.get("--backend").value_or("");
    if (backend != "cpu") {
        Status s = out.encoder->useVulkan(a.get("--device").value_or(""));
        if (!s.ok() && backend == "vulkan") return s.error();
    }
    ChatFormat fmt(tok, ChatFormat::Options{usesLargeChatTemplate(model.desc())});
    FACET_ASSIGN(RenderedPrompt rendered, fmt.render(messages, thinking, true, out.encoder->counter(int(budget))));
    FACET_ASSIGN(out.images, out.encoder->encode(rendered, int(budget)));
    out.ids = std::move(rendered.ids);
    return out;
}

}  // namespace facet::cli
