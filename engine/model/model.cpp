#include "model/model.h"

#include <filesystem>

#include "model/gguf_desc.h"
#include "model/gguf_file.h"
#include "model/gguf_split.h"
#include "model/hf_config.h"
#include "model/hf_folder.h"

namespace facet {

Model::~Model() = default;

const GgufFile* Model::gguf() const { return gguf_ ? &gguf_->head() : nullptr; }

Result<std::unique_ptr<Model>> Model::open(const std::string& path) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool isDir = fs::is_directory(path, ec);
    if (!isDir && !fs::exists(path, ec)) return errorf("%s: no such file or folder", path.c_str());

    std::unique_ptr<Model> m(new Model());
    m->path_ = path;
    if (isDir) {
        m->format_ = ModelFormat::HfFolder;
        FACET_ASSIGN(m->hf_, HfFolder::open(path));
        FACET_ASSIGN(m->desc_, descFromHfConfig(m->hf_->configPath()));
    } else {
        m->format_ = ModelFormat::Gguf;
        FACET_ASSIGN(m->gguf_, GgufSplit::open(path));  // a plain file, or every part of a split set
        FACET_ASSIGN(m->desc_, descFromGguf(*m->gguf_));
        for (const auto& [infoPtr, part] : m->gguf_->tensors()) {
            const GgufTensorInfo& info = *infoPtr;
            TensorView v;
            if (auto r = part->view(info); r.ok()) {
                v = std::move(r).value();
            } else {
                // Keep unreadable tensors visible so binding names their type.
                v.name = info.name;
                v.type = static_cast<GgmlType>(info.rawType);
                v.ne = info.ne;
                v.nDims = info.nDims;
                v.fileOffset = part->dataOffset() + info.offset;
            }
            m->views_.emplace(info.name, std::move(v));
        }
    }
    FACET_TRY(m->bind());
    return m;
}

Status Model::bind() {
    TensorLookup lookup;
    if (gguf_) {
        lookup = [this](const std::string& name) -> const TensorView* {
            auto it = views_.find(name);
            return it == views_.end() ? nullptr : &it->second;
        };
    } else {
        lookup = [this](const std::string& name) { return hf_->find(name); };
    }
    FACET_ASSIGN(weights_, bindWeights(desc_, lookup, path_));
    return {};
}

static void forEachBound(const ModelWeights& w, const std::function<void(const TensorView&)>& fn) {
    auto visit = [&](const LayerWeights& lw) {
        for (const TensorView* t : lw.t)
            if (t) fn(*t);
    };
    visit(w.global);
    for (const auto& l : w.layers) visit(l);
}

uint64_t Model::weightBytes() const {
    uint64_t total = 0;
    forEachBound(weights_, [&](const TensorView& t) { total += t.nbytes; });
    return total;
}

uint64_t Model::pleBytes() const {
    const TensorView* t = weights_.global[TensorRole::PleTokenEmbd];
    return t ? t->nbytes : 0;
}

std::map<std::string, int> Model::typeCounts() const {
    std::map<std::string, int> counts;
    forEachBound(weights_, [&](const TensorView& t) { ++counts[typeName(t.type)]; });
    return counts;
}

}  // namespace facet
