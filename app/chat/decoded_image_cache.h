// Pictures of a conversation decoded for its prompts, on the engine thread,
// by stored path: a regenerated reply or a follow-up reuses them instead of
// decoding the files again. A stored picture never changes (its file name is
// its content hash, chat_images.h), so the path names the pixels, and the
// same pixels give the same ChatImage key: the session's soft-token and KV
// caches then hit too. Bounded in decoded bytes, least recently used first out.
#pragma once

#include <QString>
#include <list>
#include <memory>

#include "chat/chat_image.h"
#include "core/result.h"

class DecodedImageCache {
public:
    // 256 MiB of RGB: a dozen photos at 12 megapixels.
    static constexpr size_t kDefaultBytes = size_t(256) << 20;

    explicit DecodedImageCache(size_t maxBytes = kDefaultBytes) : maxBytes_(maxBytes) {}

    // The picture at `path`, decoded now or taken from the cache. Errors
    // name the file (app/vision/image_loader.h).
    facet::Result<std::shared_ptr<const facet::ChatImage>> get(const QString& path);
    int decodes() const { return decodes_; }  // files decoded so far

private:
    struct Entry {
        QString path;
        std::shared_ptr<const facet::ChatImage> image;
    };
    std::list<Entry> entries_;  // most recent first
    size_t bytes_ = 0, maxBytes_;
    int decodes_ = 0;
};
