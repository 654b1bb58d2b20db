// The vision tower's input for a picture that is already the encoder's
// canvas (the references' *.preproc.png): its u8 RGB as a PreprocessedImage,
// through the engine's own encoderInput (2·u8/255 − 1, planar).
#pragma once

#include <QImage>
#include <cstring>
#include <vector>

#include "vision/image_preprocess.h"

namespace facet::test {

inline std::vector<float> encoderInputOf(const QImage& picture) {
    const QImage rgb = picture.convertToFormat(QImage::Format_RGB888);
    PreprocessedImage p;
    p.canvas.width = rgb.width();
    p.canvas.height = rgb.height();
    p.canvas.rgb.resize(size_t(3) * rgb.width() * rgb.height());
    for (int y = 0; y < rgb.height(); ++y)
        std::memcpy(&p.canvas.rgb[size_t(y) * rgb.width() * 3], rgb.constScanLine(y), size_t(rgb.width()) * 3);
    p.plan.targetWidth = rgb.width();
    p.plan.targetHeight = rgb.height();
    return encoderInput(p);
}

}  // namespace facet::test
