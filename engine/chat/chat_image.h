// A picture attached to a chat message: decoded 8-bit RGB (the app's and
// the CLI's decoders fill it) and a key naming its content, by which the KV
// cache and the soft-token cache recognise it in a later prompt.
#pragma once

#include <cstdint>
#include <memory>

#include "vision/image_preprocess.h"

namespace facet {

struct ChatImage {
    RgbImage picture;
    uint64_t key = 0;    // FNV-1a 64 of the size and the pixels
    int maxTokens = 0;   // soft-token budget of this picture (the API's "detail"); 0 = the session's
};

std::shared_ptr<const ChatImage> makeChatImage(RgbImage picture, int maxTokens = 0);

}  // namespace facet
