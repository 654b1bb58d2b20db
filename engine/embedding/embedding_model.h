// EmbeddingModel: an opened EmbeddingGemma GGUF: the mapping, the description
// and every tensor of embeddingTensorList bound and checked (present, shape,
// readable type). A file without dense_2/dense_3 opens in the reduced form
// (hasDense() false: mean pool + L2 normalize only).
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "embedding/embedding_desc.h"
#include "model/tensor_view.h"

namespace facet {

class GgufFile;

class EmbeddingModel {
public:
    ~EmbeddingModel();
    EmbeddingModel(const EmbeddingModel&) = delete;
    EmbeddingModel& operator=(const EmbeddingModel&) = delete;

    static Result<std::unique_ptr<EmbeddingModel>> open(const std::string& path);
    // An already parsed file (tests feed corrupted buffers through this).
    static Result<std::unique_ptr<EmbeddingModel>> fromGguf(std::unique_ptr<GgufFile> file);

    const std::string& path() const;
    const EmbeddingDesc& desc() const { return desc_; }
    const GgufFile& gguf() const { return *gguf_; }
    bool hasDense() const { return desc_.hasDense(); }

    // A bound tensor; nullptr only for the dense roles of the reduced form.
    const TensorView* global(EmbeddingRole r) const { return global_[static_cast<size_t>(r)]; }
    const TensorView& layer(int il, EmbeddingRole r) const { return *layers_[il][static_cast<size_t>(r)]; }

    uint64_t weightBytes() const;

private:
    using Slots = std::array<const TensorView*, static_cast<size_t>(EmbeddingRole::Count)>;
    EmbeddingModel() = default;
    Status bind();

    std::unique_ptr<GgufFile> gguf_;
    EmbeddingDesc desc_;
    std::vector<TensorView> views_;  // bound tensors, in tensor-list order (stable addresses)
    Slots global_{};
    std::vector<Slots> layers_;
};

}  // namespace facet
