#include "model/gguf_split.h"

#include <cctype>
#include <filesystem>

namespace facet {

namespace {

constexpr const char* kNo = "split.no";
constexpr const char* kCount = "split.count";
constexpr const char* kTotal = "split.tensors.count";

struct SplitKeys {
    std::optional<int64_t> no, count, total;
};

Result<SplitKeys> readSplitKeys(const GgufFile& f) {
    SplitKeys k;
    FACET_ASSIGN(k.no, f.getInt(kNo));
    FACET_ASSIGN(k.count, f.getInt(kCount));
    FACET_ASSIGN(k.total, f.getInt(kTotal));
    return k;
}

std::string partLabel(int index, int64_t count, const std::string& path) {
    return "part " + std::to_string(index) + " of " + std::to_string(count) + " (" + path + ")";
}

bool allDigits(const std::string& s, size_t from, size_t n) {
    for (size_t i = from; i < from + n; ++i)
        if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    return true;
}

// The set a file with split.count > 1 belongs to, from its name.
Result<GgufSplitName> setOf(const std::string& path, int64_t count) {
    const std::optional<GgufSplitName> name = parseGgufSplitName(path);
    if (!name)
        return errorf("%s: split.count is %lld, but the name does not end in -NNNNN-of-NNNNN.gguf, so its other parts "
                      "cannot be found", path.c_str(), static_cast<long long>(count));
    if (name->count != count)
        return errorf("%s: split.count is %lld, but the name says %d parts", path.c_str(), static_cast<long long>(count),
                      name->count);
    if (name->count > kMaxGgufSplitParts)
        return errorf("%s: a model split into %d parts (at most %d are opened)", path.c_str(), name->count,
                      kMaxGgufSplitParts);
    return *name;
}

// Part `index` of the set: opened (unless `given` already is it) and its split keys checked.
Result<std::unique_ptr<GgufFile>> openPart(const GgufSplitName& name, int index, std::unique_ptr<GgufFile> given,
                                           std::optional<int64_t> expectedTotal) {
    const std::string path = given ? given->path() : ggufSplitPartPath(name, index);
    const std::string label = partLabel(index, name.count, path);
    std::unique_ptr<GgufFile> f = std::move(given);
    if (!f) {
        std::error_code ec;
        if (!std::filesystem::exists(path, ec)) return errorf("%s is missing", label.c_str());
        auto opened = GgufFile::open(path);
        if (!opened.ok()) return errorf("%s: %s", label.c_str(), opened.message().c_str());
        f = std::move(opened).value();
    }
    auto keys = readSplitKeys(*f);
    if (!keys.ok()) return errorf("%s: %s", label.c_str(), keys.message().c_str());
    const SplitKeys& k = keys.value();
    if (!k.count || !k.no)
        return errorf("%s has no %s: it is not a part of a split model", label.c_str(), k.count ? kNo : kCount);
    if (*k.count != name.count)
        return errorf("%s: split.count is %lld, expected %d", label.c_str(), static_cast<long long>(*k.count), name.count);
    if (*k.no != index - 1)
        return errorf("%s: split.no is %lld, expected %d (counted from 0)", label.c_str(), static_cast<long long>(*k.no),
                      index - 1);
    if (!k.total) return errorf("%s has no %s", label.c_str(), kTotal);
    if (expectedTotal && *k.total != *expectedTotal)
        return errorf("%s: split.tensors.count is %lld, part 1 says %lld: the parts are from different models",
                      label.c_str(), static_cast<long long>(*k.total), static_cast<long long>(*expectedTotal));
    return f;
}

}  // namespace

std::optional<GgufSplitName> parseGgufSplitName(const std::string& path) {
    // "-00002-of-00003.gguf": 20 characters after the stem.
    constexpr size_t kSuffix = 20;
    if (path.size() <= kSuffix) return std::nullopt;
    const size_t at = path.size() - kSuffix;
    std::string ext = path.substr(path.size() - 5);
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (path[at] != '-' || !allDigits(path, at + 1, 5) || path.compare(at + 6, 4, "-of-") != 0 ||
        !allDigits(path, at + 10, 5) || ext != ".gguf")
        return std::nullopt;
    GgufSplitName n;
    n.stem = path.substr(0, at);
    n.index = std::stoi(path.substr(at + 1, 5));
    n.count = std::stoi(path.substr(at + 10, 5));
    n.ext = path.substr(path.size() - 5);
    if (n.index < 1 || n.index > n.count) return std::nullopt;
    return n;
}

std::string ggufSplitPartPath(const GgufSplitName& name, int index) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "-%05d-of-%05d", index, name.count);
    return name.stem + suffix + name.ext;
}

uint64_t GgufSplit::totalBytes() const {
    uint64_t n = 0;
    for (const auto& p : parts_) n += p->fileSize();
    return n;
}

Result<std::unique_ptr<GgufSplit>> GgufSplit::open(const std::string& path) {
    FACET_ASSIGN(auto given, GgufFile::open(path));
    FACET_ASSIGN(const SplitKeys keys, readSplitKeys(*given));
    std::unique_ptr<GgufSplit> s(new GgufSplit());
    if (!keys.count || *keys.count == 1) {  // a whole model in one file
        s->parts_.push_back(std::move(given));
        FACET_TRY(s->collectTensors());
        return s;
    }
    if (*keys.count < 1) return errorf("%s: split.count is %lld, expected at least 1", path.c_str(),
                                       static_cast<long long>(*keys.count));
    FACET_ASSIGN(const GgufSplitName name, setOf(path, *keys.count));
    // Part 1 first: its split.tensors.count is the total every other part must repeat.
    std::optional<int64_t> total;
    for (int i = 1; i <= name.count; ++i) {
        FACET_ASSIGN(auto part, openPart(name, i, i == name.index ? std::move(given) : nullptr, total));
        if (i == 1) {
            FACET_ASSIGN(total, part->getInt(kTotal));
        }
        s->parts_.push_back(std::move(part));
    }
    FACET_TRY(s->collectTensors());
    if (s->tensors_.size() != static_cast<uint64_t>(*total)) {
        std::string counts;
        for (size_t i = 0; i < s->parts_.size(); ++i)
            counts += (i ? ", " : "") + std::to_string(s->parts_[i]->tensors().size());
        return errorf("%s: the %d parts hold %zu tensors (%s), but split.tensors.count is %lld: a part is from another "
                      "model", s->head().path().c_str(), name.count, s->tensors_.size(), counts.c_str(),
                      static_cast<long long>(*total));
    }
    return s;
}

const GgufSplitTensor* GgufSplit::findTensor(std::string_view name) const {
    auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tensors_[it->second];
}

Status GgufSplit::collectTensors() {
    for (size_t p = 0; p < parts_.size(); ++p) {
        for (const GgufTensorInfo& info : parts_[p]->tensors()) {
            auto [it, fresh] = index_.emplace(info.name, tensors_.size());
            if (!fresh) {
                const auto n = static_cast<int64_t>(parts_.size());
                const GgufFile* first = tensors_[it->second].file;
                size_t q = 0;
                while (parts_[q].get() != first) ++q;
                return errorf("tensor '%s' is in %s and in %s: the parts are from different models", info.name.c_str(),
                              partLabel(int(q) + 1, n, first->path()).c_str(),
                              partLabel(int(p) + 1, n, parts_[p]->path()).c_str());
            }
            tensors_.push_back({&info, parts_[p].get()});
        }
    }
    return {};
}

Result<std::unique_ptr<GgufFile>> openGgufHead(const std::string& path) {
    FACET_ASSIGN(auto f, GgufFile::open(path));
    FACET_ASSIGN(const SplitKeys k, readSplitKeys(*f));
    if (!k.count || *k.count <= 1 || !k.no || *k.no == 0) return f;
    FACET_ASSIGN(const GgufSplitName name, setOf(path, *k.count));
    return openPart(name, 1, nullptr, std::nullopt);
}

}  // namespace facet
