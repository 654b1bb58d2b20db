// Decoding a picture file for image input: any format Qt's image plugins read
// (PNG and JPEG always; WebP when qt6-image-formats-plugins is installed),
// detected from the bytes, never from the file name. Hostile files are bounded
// (house style rule 6): the header's size is checked before decoding (at most
// kMaxImageSide per side and kMaxImagePixels in all, engine/vision/
// image_preprocess.h) and Qt's allocation limit caps what a decoder may
// allocate when a header lies. EXIF orientation is applied. The result is
// 8-bit RGB as llama.cpp's stb_image gives it (spec gemma4-vision.md §3.1
// step 1): gray replicated, alpha dropped without compositing.
#pragma once

#include <QByteArray>
#include <QString>

#include "core/result.h"
#include "vision/image_preprocess.h"

namespace facet {

// Errors name the file: "photo.png: truncated or corrupt image (...)".
Result<RgbImage> loadImageFile(const QString& path);
// The same for bytes in memory (a pasted or dropped picture); errors say "image data".
Result<RgbImage> loadImageData(const QByteArray& bytes);

}  // namespace facet
