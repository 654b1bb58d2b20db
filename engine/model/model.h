// Model: an opened Gemma 4 model, from a `.gguf` file or a Hugging Face
// folder (config.json + safetensors). Holds the mapping, the description and
// the bound weights; everything else (tokenizer, forward passes, `info`) is
// built from these.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <unordered_map>

#include "core/result.h"
#include "model/model_desc.h"
#include "model/model_weights.h"

namespace facet {

class GgufFile;
class GgufSplit;
class HfFolder;

enum class ModelFormat { Gguf, HfFolder };

class Model {
public:
    ~Model();
    Model(const Model&) = delete;
    Model& operator=(const Model&) = delete;

    // `path` is a .gguf file or a folder holding config.json.
    static Result<std::unique_ptr<Model>> open(const std::string& path);

    const std::string& path() const { return path_; }
    ModelFormat format() const { return format_; }
    const ModelDesc& desc() const { return desc_; }
    const ModelWeights& weights() const { return weights_; }
    const GgufFile* gguf() const;                            // the metadata (part 1 of a split set); null for HF folders
    const GgufSplit* ggufParts() const { return gguf_.get(); }  // every part; null for HF folders
    const HfFolder* hfFolder() const { return hf_.get(); }  // null for GGUF

    // Bytes of all bound weight tensors, and of the PLE table alone (which
    // stays in host memory on the GPU path).
    uint64_t weightBytes() const;
    uint64_t pleBytes() const;
    // Number of bound tensors per type name, e.g. {"F32": 40, "Q4_0": 120}.
    std::map<std::string, int> typeCounts() const;

private:
    Model() = default;
    Status bind();

    std::string path_;
    ModelFormat format_ = ModelFormat::Gguf;
    std::unique_ptr<GgufSplit> gguf_;
    std::unique_ptr<HfFolder> hf_;
    std::unordered_map<std::string, TensorView> views_;  // GGUF tensors by name (stable addresses)
    ModelDesc desc_;
    ModelWeights weights_;
};

}  // namespace facet
