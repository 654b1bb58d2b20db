// GgufSplit: one model stored as a single GGUF or as llama.cpp's gguf-split
// set "<stem>-00001-of-00003.gguf" ... "<stem>-00003-of-00003.gguf".
//
// Every part is a complete GGUF file. Part 1 carries all model metadata; every
// part carries split.no (u16, 0-based), split.count (u16) and
// split.tensors.count (i32, the total over all parts) and its own tensors.
// Opening any part opens the whole set: the parts are found by name beside
// it, each must say it is part i of the same count, and the union of their
// tensors must hold split.tensors.count names with none twice. Errors name
// the part ("part 2 of 3 (m-00002-of-00003.gguf) is missing").
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "model/gguf_file.h"

namespace facet {

// A split part's name: "dir/m-00002-of-00003.gguf" -> {"dir/m", 2, 3}.
struct GgufSplitName {
    std::string stem;  // the path up to "-00002-of-00003.gguf"
    int index = 0;     // 1-based, as in the name
    int count = 0;
    std::string ext = ".gguf";  // as the name spells it (".GGUF" too): the parts share it
};
// The most parts a set may have (gguf-split makes a handful; each part is a
// mapped file): a name or key asking for more is refused.
constexpr int kMaxGgufSplitParts = 1024;
std::optional<GgufSplitName> parseGgufSplitName(const std::string& path);
// The path of part `index` (1-based) of the set `name` belongs to.
std::string ggufSplitPartPath(const GgufSplitName& name, int index);

struct GgufSplitTensor {
    const GgufTensorInfo* info = nullptr;
    const GgufFile* file = nullptr;  // the part that holds its bytes
};

class GgufSplit {
public:
    // `path`: a plain .gguf (one part) or any part of a split set.
    static Result<std::unique_ptr<GgufSplit>> open(const std::string& path);

    const GgufFile& head() const { return *parts_.front(); }  // part 1: the model's metadata
    size_t partCount() const { return parts_.size(); }
    const GgufFile& part(size_t i) const { return *parts_[i]; }
    // Every tensor of every part, in part order.
    const std::vector<GgufSplitTensor>& tensors() const { return tensors_; }
    const GgufSplitTensor* findTensor(std::string_view name) const;
    uint64_t totalBytes() const;  // all parts' file sizes

private:
    GgufSplit() = default;
    Status collectTensors();

    std::vector<std::unique_ptr<GgufFile>> parts_;
    std::vector<GgufSplitTensor> tensors_;
    std::unordered_map<std::string_view, size_t> index_;  // name -> tensors_ slot
};

// The file with a model's metadata, for readers that need nothing else
// (tokenizer, projector pairing): `path` itself, or part 1 of its split set.
Result<std::unique_ptr<GgufFile>> openGgufHead(const std::string& path);

}  // namespace facet
