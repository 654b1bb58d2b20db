// Which vision projector (mmproj GGUF, projector type gemma4v; spec
// gemma4-vision.md §2 and §8) belongs to a Gemma 4 text model on disk.
//
// The rule, as findProjector applies it:
//  1. Candidates are the `.gguf` files beside the model (same folder, not
//     below) whose name starts with "mmproj", any case. There is no sidecar
//     file: downloads put the projector next to the model under its
//     repository name, as llama.cpp's tools expect.
//  2. Each candidate is read cheaply: GGUF header, metadata and tensor
//     directory only (no tensor data). It fits when its projector type is
//     gemma4v (clip.projector_type, else clip.vision.projector_type: the first
//     wins, spec §2), it has a vision encoder, and its output width (the
//     ne[1] of mm.input_projection.weight, as llama.cpp reads it; else
//     clip.vision.projection_dim) equals the model's hidden width.
//  3. Of several that fit: the one whose name shares most of the model's name
//     (tokens such as "gemma", "4", "e2b", "it"; precision tokens ignored),
//     then the smaller precision of mm.input_projection.weight (F16, BF16,
//     a quantized type, F32), then the name in byte order. Directory order
//     never matters.
// A model that cannot be read pairs with nothing, with the reason.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "model/ggml_type.h"

namespace facet {

// What a projector file says about itself, from its header alone.
struct ProjectorHeader {
    std::string projectorType;  // "gemma4v" for Gemma 4
    bool hasVisionEncoder = true;
    int textWidth = 0;          // width of the soft tokens it makes
    GgmlType projectionType = GgmlType::F32;  // type of mm.input_projection.weight
};

// Reads the header, metadata and tensor directory of `path`; an Error names
// the file when it is no GGUF or has no output width.
Result<ProjectorHeader> readProjectorHeader(const std::string& path);

// `gemma4.embedding_length` of a Gemma 4 text GGUF, from its metadata alone.
Result<int> readModelHiddenWidth(const std::string& path);

enum class PairingStatus {
    Paired,           // path names the projector
    NoCandidate,      // no mmproj*.gguf beside the model
    NoneFits,         // candidates, each refused (reasons in `candidates`)
    ModelUnreadable,  // the model's hidden width could not be read
    Count
};
const char* pairingStatusName(PairingStatus s);

struct ProjectorCandidate {
    std::string path;
    std::string refusal;  // empty when it fits
};

struct ProjectorPairing {
    PairingStatus status = PairingStatus::NoCandidate;
    std::string path;    // the chosen projector; empty unless Paired
    std::string reason;  // one line for people when not Paired
    std::vector<ProjectorCandidate> candidates;  // every mmproj*.gguf looked at, by name
    bool paired() const { return status == PairingStatus::Paired; }
};

// The projector of the text model at `modelPath`: for a .gguf file as
// above; a Hugging Face folder whose weights hold the vision tower is its own
// projector (path = the folder, VisionModel::openHf).
ProjectorPairing findProjector(const std::string& modelPath);
// The same when the caller already knows the model's hidden width.
ProjectorPairing findProjector(const std::string& modelPath, int modelHidden);

// Whether `fileName` is named like a projector ("mmproj...gguf", any case).
bool isProjectorFileName(std::string_view fileName);

// Order of a projector's precision as its file name states it, smaller
// first: 0 f16/fp16, 1 bf16, 2 f32/fp32, 3 no precision named. Downloads use
// it to take one file when a pattern matches several.
int projectorNamePrecisionRank(std::string_view fileName);

// Whether a Hugging Face model folder carries the vision tower in its
// weights: some tensor named `model.vision_tower.*` (or holding
// "vision_tower") in model.safetensors.index.json's weight_map, else in
// model.safetensors' header. Detection only: no tensor is read.
Result<bool> hfFolderHasVisionTower(const std::string& dir);

}  // namespace facet
