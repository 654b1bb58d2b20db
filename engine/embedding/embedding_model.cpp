#include "embedding/embedding_model.h"

#include <algorithm>
#include <filesystem>

#include "model/gguf_file.h"

namespace facet {

namespace {

std::string neString(const std::vector<int64_t>& ne) {
    std::string s = "[";
    for (size_t i = 0; i < ne.size(); ++i) s += (i ? ", " : "") + std::to_string(ne[i]);
    return s + "]";
}

// Trailing 1-dims are equivalent ({64} == {64, 1}).
bool shapeMatches(const GgufTensorInfo& t, const std::vector<int64_t>& ne) {
    for (size_t i = 0; i < 4; ++i)
        if (t.ne[i] != (i < ne.size() ? ne[i] : 1)) return false;
    return true;
}

}  // namespace

EmbeddingModel::~EmbeddingModel() = default;

Result<std::unique_ptr<EmbeddingModel>> EmbeddingModel::open(const std::string& path) {
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return errorf("%s: no such file", path.c_str());
    FACET_ASSIGN(auto file, GgufFile::open(path));
    return fromGguf(std::move(file));
}

Result<std::unique_ptr<EmbeddingModel>> EmbeddingModel::fromGguf(std::unique_ptr<GgufFile> file) {
    std::unique_ptr<EmbeddingModel> m(new EmbeddingModel());
    m->gguf_ = std::move(file);
    FACET_ASSIGN(m->desc_, embeddingDescFromGguf(*m->gguf_));
    FACET_TRY(m->bind());
    return m;
}

const std::string& EmbeddingModel::path() const { return gguf_->path(); }

Status EmbeddingModel::bind() {
    const char* path = gguf_->path().c_str();
    const std::vector<EmbeddingTensorSpec> specs = embeddingTensorList(desc_);
    views_.reserve(specs.size());  // no reallocation: slots point into it
    layers_.assign(desc_.nLayers, Slots{});
    for (const EmbeddingTensorSpec& s : specs) {
        const GgufTensorInfo* info = gguf_->findTensor(s.name);
        if (!info) return errorf("%s: required tensor '%s' %s is missing", path, s.name.c_str(), neString(s.ne).c_str());
        if (!shapeMatches(*info, s.ne)) {
            std::string got = "[";
            for (int i = 0; i < std::max(info->nDims, 1); ++i) got += (i ? ", " : "") + std::to_string(info->ne[i]);
            return errorf("%s: tensor '%s' @0x%llx: shape %s], expected %s", path, s.name.c_str(),
                          static_cast<unsigned long long>(gguf_->dataOffset() + info->offset), got.c_str(),
                          neString(s.ne).c_str());
        }
        FACET_ASSIGN(TensorView v, gguf_->view(*info));  // names the tensor when its type is unreadable
        views_.push_back(std::move(v));
        Slots& slots = s.layer < 0 ? global_ : layers_[s.layer];
        slots[static_cast<size_t>(s.role)] = &views_.back();
    }
    return {};
}

uint64_t EmbeddingModel::weightBytes() const {
    uint64_t total = 0;
    for (const TensorView& v : views_) total += v.nbytes;
    return total;
}

}  // namespace facet
