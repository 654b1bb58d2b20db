// ImageEncoder: a session's vision side. It owns the projector (VisionModel),
// sizes pictures for the prompt (the soft-token plan at a budget) and turns
// them into soft tokens on the vision tower, keeping recent results: a
// regenerated reply or a follow-up in the same conversation does not encode
// its pictures again (the KV cache keeps them too: Generator, by key).
#pragma once

#include <chrono>
#include <functional>
#include <list>
#include <memory>
#include <string>
#include <vector>

#include "chat/chat_format.h"
#include "core/result.h"
#include "model/model_desc.h"
#include "runtime/forward_pass.h"
#include "vision/vision_forward.h"
#include "vision/vision_model.h"

namespace facet {

namespace vk {
class Device;
}

// The soft-token budgets a user picks from: llama.cpp's default, and "more
// detail" (Gemma's documentation: 1120 for reading text in pictures).
inline constexpr int kImageTokensDefault = 280;
inline constexpr int kImageTokensDetailed = 1120;

// A picture's rows ready for the forward pass.
struct EncodedImage {
    InjectedRows rows;                        // placement, key, bidirectional, width
    std::shared_ptr<const SoftTokens> soft;   // owns rows.rows
};

class ImageEncoder {
public:
    // The tower on the host or a device: input planar [3][h][w], as encodeImageCpu.
    using Tower = std::function<Result<SoftTokens>(const std::vector<float>& input, int width, int height)>;

    // Opens `projector` for the text model `text`: fails when it is not a
    // Gemma 4 projector or its soft tokens have another width.
    static Result<std::unique_ptr<ImageEncoder>> open(const std::string& projector, const ModelDesc& text);

    const VisionModel& model() const { return *model_; }
    // Runs the tower elsewhere; the default is the CPU reference.
    void setTower(Tower tower, std::string name);
    // The tower as Vulkan shaders (VisionVulkan) on `device`, which must
    // outlive this encoder (the text backend's), or on a device of its own
    // ("" = the best). On failure the tower stays where it was.
    Status useDevice(vk::Device& device);
    Status useVulkan(const std::string& device);
    const std::string& towerName() const { return towerName_; }
    // Image blocks attend both ways (26B-A4B, 31B) or causally (E2B, E4B).
    bool bidirectional() const { return bidirectional_; }

    // Soft tokens `image` takes with at most `budget` of them (its own
    // ChatImage::maxTokens when set).
    Result<int> tokensFor(const ChatImage& image, int budget) const;
    ImageTokenCount counter(int budget) const;
    // The soft tokens of every image of `prompt`, encoded or from the cache.
    Result<std::vector<EncodedImage>> encode(const RenderedPrompt& prompt, int budget);
    // Seconds the tower ran in the last encode() (0 when all came from the cache).
    double lastEncodeSeconds() const { return lastSeconds_; }
    int lastEncoded() const { return lastEncoded_; }

private:
    ImageEncoder() = default;
    ImageBudget budgetOf(int budget) const;
    Result<std::shared_ptr<const SoftTokens>> softTokens(const ChatImage& image, int budget);
    static int budgetFor(const ChatImage& image, int budget) { return image.maxTokens > 0 ? image.maxTokens : budget; }

    std::unique_ptr<VisionModel> model_;
    int textWidth_ = 0;
    bool bidirectional_ = false;
    Tower tower_;
    std::string towerName_;
    struct Entry {
        uint64_t key;
        int budget;
        std::shared_ptr<const SoftTokens> soft;
    };
    std::list<Entry> cache_;  // most recent first, bounded in bytes
    double lastSeconds_ = 0;
    int lastEncoded_ = 0;
};

}  // namespace facet
