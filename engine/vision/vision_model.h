// VisionModel: an opened Gemma 4 projector file (mmproj GGUF, projector type
// gemma4v; spec gemma4-vision.md §2 and §8) or the vision tower of a Hugging
// Face model folder: its hyper-parameters and every
// tensor of the tower, the pooling and the projection bound and checked
// (present, shape, readable type). Optional parts stay null: clamp bounds
// (a missing bound is ±infinity), per-layer out_scale, std_bias/std_scale.
#pragma once

#include <array>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "model/tensor_view.h"

namespace facet {

class GgufFile;
class SafetensorsFile;

struct VisionDesc {
    int patchSize = 16;      // p
    int poolKernel = 3;      // k (projector.scale_factor)
    int width = 768;         // E
    int ffn = 3072;
    int layers = 16;
    int heads = 12;
    int headDim = 64;
    float eps = 1e-6f;
    int positionRows = 10240;  // rows of each position table
    int textWidth = 1536;      // output width (mm.input_projection)
    float ropeTheta = 100.f;   // hard-coded in llama.cpp and HF for gemma4v
};

// The four optional clamp bounds of one linear (Gemma4ClippableLinear).
struct ClampBounds {
    float inMin = -std::numeric_limits<float>::infinity(), inMax = std::numeric_limits<float>::infinity();
    float outMin = -std::numeric_limits<float>::infinity(), outMax = std::numeric_limits<float>::infinity();
};

enum class VisionLinear { Q, K, V, Out, Gate, Up, Down, Count };

struct VisionLayer {
    const TensorView* ln1 = nullptr;
    const TensorView* qNorm = nullptr;
    const TensorView* kNorm = nullptr;
    const TensorView* attnPostNorm = nullptr;
    const TensorView* ln2 = nullptr;
    const TensorView* ffnPostNorm = nullptr;
    std::array<const TensorView*, static_cast<size_t>(VisionLinear::Count)> linear{};
    std::array<ClampBounds, static_cast<size_t>(VisionLinear::Count)> clamp{};
    float outScale = 1.f;  // v.blk.N.out_scale when present
};

class VisionModel {
public:
    ~VisionModel();
    VisionModel(const VisionModel&) = delete;
    VisionModel& operator=(const VisionModel&) = delete;

    // A projector GGUF, or a Hugging Face model folder whose weights hold the
    // vision tower (openHf).
    static Result<std::unique_ptr<VisionModel>> open(const std::string& path);
    static Result<std::unique_ptr<VisionModel>> fromGguf(std::unique_ptr<GgufFile> file);
    // config.json's vision_config and the model.vision_tower / embed_vision
    // tensors of the folder's safetensors, under their GGUF names (spec §8):
    // the patch projection is reordered into the conv kernel's (c, ky, kx)
    // and the position table widened to F32, both held in memory.
    static Result<std::unique_ptr<VisionModel>> openHf(const std::string& dir);

    const std::string& path() const;
    const VisionDesc& desc() const { return desc_; }
    const TensorView& patchEmbedding() const { return *patch_; }   // {p, p, 3, E}
    const TensorView& positionTable() const { return *position_; } // {E, rows, 2}
    const TensorView& projection() const { return *projection_; }  // {E, H_text}
    const TensorView* stdBias() const { return stdBias_; }
    const TensorView* stdScale() const { return stdScale_; }
    const VisionLayer& layer(int il) const { return layers_[il]; }

private:
    // A tensor by its GGUF name; nullopt when the file has none.
    using TensorLookup = std::function<Result<std::optional<TensorView>>(const std::string& name)>;

    VisionModel() = default;
    Status bind(const TensorLookup& find);

    std::string path_;
    std::unique_ptr<GgufFile> gguf_;
    std::vector<std::unique_ptr<SafetensorsFile>> shards_;  // an HF folder's weight files
    std::vector<std::vector<float>> owned_;                 // tensors reshaped in memory (HF)
    VisionDesc desc_;
    std::vector<TensorView> views_;  // every bound tensor; pointers below point in here
    const TensorView* patch_ = nullptr;
    const TensorView* position_ = nullptr;
    const TensorView* projection_ = nullptr;
    const TensorView* stdBias_ = nullptr;
    const TensorView* stdScale_ = nullptr;
    std::vector<VisionLayer> layers_;
};

}  // namespace facet
