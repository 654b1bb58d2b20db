#include "decoded_image_cache.h"

#include "image_loader.h"

facet::Result<std::shared_ptr<const facet::ChatImage>> DecodedImageCache::get(const QString& path) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it)
        if (it->path == path) {
            entries_.splice(entries_.begin(), entries_, it);
            return entries_.front().image;
        }
    auto rgb = facet::loadImageFile(path);
    if (!rgb.ok()) return rgb.error();
    ++decodes_;
    std::shared_ptr<const facet::ChatImage> image = facet::makeChatImage(std::move(rgb).value());
    entries_.push_front({path, image});
    bytes_ += image->picture.rgb.size();
    // The newest stays even when it alone is over the bound: the prompt being built needs it.
    while (bytes_ > maxBytes_ && entries_.size() > 1) {
        bytes_ -= entries_.back().image->picture.rgb.size();
        entries_.pop_back();
    }
    return image;
}
