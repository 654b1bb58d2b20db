#include "support/gguf_splitter.h"

#include "model/gguf_split.h"

namespace facet::test {

Result<std::vector<std::string>> splitGguf(const std::string& source, const std::string& stem, int parts,
                                           const PartTamper& tamper) {
    FACET_ASSIGN(auto src, GgufFile::open(source));
    const std::vector<GgufTensorInfo>& all = src->tensors();
    if (parts < 1 || static_cast<size_t>(parts) > all.size())
        return errorf("%s: cannot split %zu tensors into %d parts", source.c_str(), all.size(), parts);
    std::vector<std::string> paths;
    const size_t per = (all.size() + parts - 1) / parts;
    for (int p = 0; p < parts; ++p) {
        GgufWriter w;
        if (p == 0) {
            for (const auto& [key, value] : src->metadata()) w.addValue(key, value);
        } else if (const GgufValue* align = src->find("general.alignment")) {
            w.addValue("general.alignment", *align);  // every part lays out its data the same way
        }
        w.addUInt16("split.no", static_cast<uint16_t>(p));
        w.addUInt16("split.count", static_cast<uint16_t>(parts));
        w.addInt32("split.tensors.count", static_cast<int32_t>(all.size()));
        // Contiguous runs, the last one shorter: every part holds at least one tensor.
        const size_t begin = std::min(all.size(), p * per), end = p + 1 == parts ? all.size() : std::min(all.size(), (p + 1) * per);
        for (size_t i = begin; i < end; ++i) {
            FACET_ASSIGN(const TensorView v, src->view(all[i]));
            w.addTensorRaw(all[i].name, all[i].rawType, std::vector<int64_t>(v.ne.begin(), v.ne.begin() + v.nDims),
                           std::vector<uint8_t>(v.data, v.data + v.nbytes));
        }
        if (tamper) tamper(p + 1, w);
        const std::string path = ggufSplitPartPath({stem, p + 1, parts}, p + 1);
        FACET_TRY(w.write(path));
        paths.push_back(path);
    }
    return paths;
}

}  // namespace facet::test
