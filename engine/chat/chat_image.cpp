#include "chat/chat_image.h"

namespace facet {

std::shared_ptr<const ChatImage> makeChatImage(RgbImage picture, int maxTokens) {
    auto image = std::make_shared<ChatImage>();
    uint64_t h = 0xcbf29ce484222325ull;
    auto mix = [&h](uint8_t b) {
        h ^= b;
        h *= 0x100000001b3ull;
    };
    for (int v : {picture.width, picture.height})
        for (int i = 0; i < 4; ++i) mix(static_cast<uint8_t>(static_cast<uint32_t>(v) >> (8 * i)));
    for (uint8_t b : picture.rgb) mix(b);
    image->key = h;
    image->picture = std::move(picture);
    image->maxTokens = maxTokens;
    return image;
}

}  // namespace facet
