#include "runtime/image_encoder.h"

#include <algorithm>

#include "cpu/cpu_forward.h"
#include "vision/vision_vulkan.h"

namespace facet {

namespace {

// Soft tokens kept for reuse: 64 MiB holds about forty 280-token E2B images
// or ten of 31B's.
constexpr size_t kCacheBytes = size_t(64) << 20;

size_t bytesOf(const SoftTokens& s) { return s.values.size() * sizeof(float); }

}  // namespace

Result<std::unique_ptr<ImageEncoder>> ImageEncoder::open(const std::string& projector, const ModelDesc& text) {
    std::unique_ptr<ImageEncoder> e(new ImageEncoder());
    FACET_ASSIGN(e->model_, VisionModel::open(projector));
    if (e->model_->desc().textWidth != text.hidden)
        return errorf("%s makes soft tokens of width %d, but the model's hidden width is %d: they do not belong together",
                      projector.c_str(), e->model_->desc().textWidth, text.hidden);
    e->textWidth_ = text.hidden;
    e->bidirectional_ = cpu::bidirectionalImageAttention(text);
    const VisionModel* m = e->model_.get();
    e->setTower([m](const std::vector<float>& input, int w, int h) { return encodeImageCpu(*m, input, w, h); },
                "CPU reference");
    return e;
}

void ImageEncoder::setTower(Tower tower, std::string name) {
    tower_ = std::move(tower);
    towerName_ = std::move(name);
}

namespace {

ImageEncoder::Tower towerOf(std::shared_ptr<VisionVulkan> vulkan) {
    return [vulkan](const std::vector<float>& input, int w, int h) { return vulkan->encode(input, w, h); };
}

}  // namespace

Status ImageEncoder::useDevice(vk::Device& device) {
    FACET_ASSIGN(std::shared_ptr<VisionVulkan> vulkan, VisionVulkan::create(device, *model_));
    setTower(towerOf(vulkan), vulkan->deviceName());
    return {};
}

Status ImageEncoder::useVulkan(const std::string& device) {
    FACET_ASSIGN(std::shared_ptr<VisionVulkan> vulkan, VisionVulkan::open(*model_, device));
    setTower(towerOf(vulkan), vulkan->deviceName());
    return {};
}

ImageBudget ImageEncoder::budgetOf(int budget) const {
    ImageBudget b;
    b.patchSize = model_->desc().patchSize;
    b.poolKernel = model_->desc().poolKernel;
    b.maxTokens = std::max(b.minTokens, budget);
    return b;
}

Result<int> ImageEncoder::tokensFor(const ChatImage& image, int budget) const {
    FACET_ASSIGN(ImagePlan plan, planImage(image.picture.width, image.picture.height, budgetOf(budgetFor(image, budget))));
    return plan.nTokens;
}

ImageTokenCount ImageEncoder::counter(int budget) const {
    return [this, budget](const ChatImage& image) { return tokensFor(image, budget); };
}

Result<std::shared_ptr<const SoftTokens>> ImageEncoder::softTokens(const ChatImage& image, int sessionBudget) {
    const int budget = budgetFor(image, sessionBudget);
    for (auto it = cache_.begin(); it != cache_.end(); ++it)
        if (it->key == image.key && it->budget == budget) {
            cache_.splice(cache_.begin(), cache_, it);
            return cache_.front().soft;
        }
    FACET_ASSIGN(PreprocessedImage pre, preprocessImage(image.picture, budgetOf(budget)));
    const auto t0 = std::chrono::steady_clock::now();
    FACET_ASSIGN(SoftTokens soft, tower_(encoderInput(pre), pre.plan.targetWidth, pre.plan.targetHeight));
    lastSeconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    ++lastEncoded_;
    if (soft.width != textWidth_ || soft.count() != pre.plan.nTokens)
        return errorf("vision: the tower made %d soft tokens of width %d, expected %d of width %d", soft.count(),
                      soft.width, pre.plan.nTokens, textWidth_);
    cache_.push_front({image.key, budget, std::make_shared<const SoftTokens>(std::move(soft))});
    size_t bytes = 0;
    for (auto it = cache_.begin(); it != cache_.end();) {
        bytes += bytesOf(*it->soft);
        // The newest always stays; older ones go once the cache is full
        // (a prompt's other images are held by the caller meanwhile).
        it = (it != cache_.begin() && bytes > kCacheBytes) ? cache_.erase(it) : std::next(it);
    }
    return cache_.front().soft;
}

Result<std::vector<EncodedImage>> ImageEncoder::encode(const RenderedPrompt& prompt, int budget) {
    lastSeconds_ = 0;
    lastEncoded_ = 0;
    std::vector<EncodedImage> out;
    for (const ImageSpan& span : prompt.images) {
        FACET_ASSIGN(auto soft, softTokens(*span.image, budget));
        const uint64_t used = static_cast<uint64_t>(budgetFor(*span.image, budget));
        if (soft->count() != span.end - span.begin)
            return errorf("vision: the picture makes %d soft tokens but the prompt holds %d places", soft->count(),
                          span.end - span.begin);
        EncodedImage e;
        e.soft = soft;
        e.rows.begin = span.begin;
        e.rows.end = span.end;
        e.rows.rows = soft->values.data();
        e.rows.bidirectional = bidirectional_;
        // The key names the picture at this budget (another budget, other tokens).
        e.rows.key = span.image->key ^ (used * 0x9e3779b97f4a7c15ull);
        e.rows.width = soft->width;
        out.push_back(std::move(e));
    }
    return out;
}

}  // namespace facet
