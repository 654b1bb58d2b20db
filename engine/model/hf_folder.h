// HfFolder: a Hugging Face Gemma 4 model folder opened for the text decoder.
//
// Reads config.json's location, tokenizer.json's location, and the weights
// from a single `model.safetensors` or the shards named by
// `model.safetensors.index.json` ("weight_map"). Text tensors are found under
// `model.language_model.` (Gemma4ForConditionalGeneration) or `model.`
// (Gemma4ForCausalLM) and exposed under their GGUF names (spec §3.2), so the
// weight binder treats both formats alike. Vision/audio towers and the tied
// `lm_head.weight` are skipped; unrecognised text names are only recorded.
// HF has no `rope_freqs` tensor: the ModelDesc carries the factors instead.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "model/tensor_view.h"

namespace facet {

class SafetensorsFile;

enum class HfNameKind {
    Text,     // a decoder tensor; ggufName is set
    Skipped,  // vision/audio tower, multimodal embedders, lm_head (tied)
    Unknown,  // looks like a text tensor but has no GGUF counterpart
};

struct HfNameMapping {
    HfNameKind kind = HfNameKind::Unknown;
    std::string ggufName;  // "blk.3.attn_q.weight" for "model.language_model.layers.3.self_attn.q_proj.weight"
};

// Pure name translation (no file access).
HfNameMapping mapHfTensorName(std::string_view hfName);

// Where a mapped tensor came from, for diagnostics.
struct HfTensorSource {
    std::string hfName;
    std::string file;  // path of the .safetensors file holding it
};

class HfFolder {
public:
    ~HfFolder();
    HfFolder(const HfFolder&) = delete;
    HfFolder& operator=(const HfFolder&) = delete;

    // Opens the weights and views every text tensor (so a text tensor in an
    // unreadable dtype fails here, naming it). Errors name the file and tensor.
    static Result<std::unique_ptr<HfFolder>> open(const std::string& dir);

    const std::string& dir() const { return dir_; }
    const std::string& configPath() const { return configPath_; }
    const std::string& tokenizerJsonPath() const { return tokenizerJsonPath_; }  // empty when absent
    const std::vector<std::string>& weightFiles() const { return weightFiles_; }  // shards actually opened

    // Text tensors under GGUF names, sorted by name. KV-shared layers' k/v
    // weights are included when the files carry them; the binder ignores them.
    const std::vector<TensorView>& tensors() const { return tensors_; }
    const TensorView* find(std::string_view ggufName) const;
    const HfTensorSource* source(std::string_view ggufName) const;

    const std::vector<std::string>& unknownTensors() const { return unknown_; }  // HF names, sorted
    size_t skippedCount() const { return skipped_; }

private:
    HfFolder() = default;
    Status loadSingle(const std::string& file);
    Status loadIndex(const std::string& indexPath);
    Result<SafetensorsFile*> shard(const std::string& fileName);
    Status addTensor(const std::string& hfName, const std::string& ggufName, SafetensorsFile& file);
    void finish();

    std::string dir_, configPath_, tokenizerJsonPath_;
    std::map<std::string, std::unique_ptr<SafetensorsFile>> shards_;  // by file name
    std::vector<std::string> weightFiles_;
    std::vector<TensorView> tensors_;
    std::vector<HfTensorSource> sources_;  // parallel to tensors_
    std::unordered_map<std::string, size_t> byName_;
    std::vector<std::string> unknown_;
    size_t skipped_ = 0;
};

}  // namespace facet
