// SafetensorsFile: header parsing and bounds checks (see safetensors_file.h).
#include "model/safetensors_file.h"

#include <algorithm>
#include <cstring>
#include <set>

#include <nlohmann/json.hpp>

#include "core/mapped_file.h"

namespace facet {

namespace {

using nlohmann::json;

// A real header is a few hundred KiB; the cap keeps a hostile length from
// making us parse (and allocate for) gigabytes of "JSON".
constexpr uint64_t kMaxHeaderBytes = 100ull << 20;
// Beyond any real tensor; keeps products far from overflow before we check them.
constexpr uint64_t kMaxDim = 1ull << 40;
constexpr size_t kMaxDims = 8;

using ull = unsigned long long;

uint64_t readU64Le(const uint8_t* p) {
    uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

bool readUnsigned(const json& j, uint64_t& out) {
    if (!j.is_number_unsigned()) return false;
    out = j.get<uint64_t>();
    return true;
}

// Parses one header entry; `where` prefixes every message.
Result<SafetensorsEntry> parseEntry(const std::string& name, const json& j, const std::string& where) {
    if (!j.is_object()) return errorf("%s: entry is not a JSON object", where.c_str());
    SafetensorsEntry e;
    e.name = name;

    auto dt = j.find("dtype");
    if (dt == j.end() || !dt->is_string()) return errorf("%s: missing string field 'dtype'", where.c_str());
    e.dtype = dt->get<std::string>();

    auto sh = j.find("shape");
    if (sh == j.end() || !sh->is_array()) return errorf("%s: missing array field 'shape'", where.c_str());
    if (sh->size() > kMaxDims)
        return errorf("%s: shape has %zu dims, expected at most %zu", where.c_str(), sh->size(), kMaxDims);
    for (size_t i = 0; i < sh->size(); ++i) {
        uint64_t d = 0;
        if (!readUnsigned((*sh)[i], d) || d > kMaxDim)
            return errorf("%s: shape[%zu] is not an integer in [0, 2^40]", where.c_str(), i);
        e.shape.push_back(static_cast<int64_t>(d));
    }

    auto off = j.find("data_offsets");
    if (off == j.end() || !off->is_array() || off->size() != 2 || !readUnsigned((*off)[0], e.begin) ||
        !readUnsigned((*off)[1], e.end))
        return errorf("%s: 'data_offsets' must be [begin, end] of unsigned integers", where.c_str());
    return e;
}

// Element count with overflow detection; false when it does not fit 63 bits.
bool elementCount(const std::vector<int64_t>& shape, uint64_t& count) {
    uint64_t n = 1;
    for (int64_t d : shape) {
        if (__builtin_mul_overflow(n, static_cast<uint64_t>(d), &n)) return false;
    }
    if (n > static_cast<uint64_t>(INT64_MAX)) return false;
    count = n;
    return true;
}

}  // namespace

uint64_t safetensorsDtypeSize(std::string_view dtype) {
    static const std::pair<std::string_view, uint64_t> kSizes[] = {
        {"BOOL", 1}, {"U8", 1},  {"I8", 1},  {"F8_E5M2", 1}, {"F8_E4M3", 1}, {"F8_E8M0", 1},
        {"I16", 2},  {"U16", 2}, {"F16", 2}, {"BF16", 2},    {"I32", 4},     {"U32", 4},
        {"F32", 4},  {"I64", 8}, {"U64", 8}, {"F64", 8},     {"C64", 8},
    };
    for (const auto& [name, size] : kSizes)
        if (name == dtype) return size;
    return 0;
}

SafetensorsFile::~SafetensorsFile() = default;

const std::string& SafetensorsFile::path() const { return file_->path(); }

Result<std::unique_ptr<SafetensorsFile>> SafetensorsFile::open(const std::string& path) {
    FACET_ASSIGN(auto mapped, MappedFile::open(path));
    std::unique_ptr<SafetensorsFile> f(new SafetensorsFile());
    f->file_ = std::move(mapped);
    FACET_TRY(f->parseHeader());
    return f;
}

Status SafetensorsFile::parseHeader() {
    const std::string& p = file_->path();
    const uint64_t size = file_->size();
    if (size < 8)
        return errorf("%s: %llu bytes, too short for the 8-byte safetensors header length", p.c_str(), (ull)size);
    const uint64_t n = readU64Le(file_->data());
    if (n > size - 8)
        return errorf("%s: header length %llu at offset 0 runs past the end of the file (%llu bytes)", p.c_str(),
                      (ull)n, (ull)size);
    if (n > kMaxHeaderBytes)
        return errorf("%s: header length %llu at offset 0 exceeds the %llu-byte limit", p.c_str(), (ull)n,
                      (ull)kMaxHeaderBytes);
    if (n < 2) return errorf("%s: header length %llu at offset 0 is too short for a JSON object", p.c_str(), (ull)n);
    dataOffset_ = 8 + n;
    const uint64_t dataSize = size - dataOffset_;

    // nlohmann's DOM silently keeps the last of duplicate keys; catch them while parsing.
    std::set<std::string> seen;
    std::string duplicate;
    json::parser_callback_t onEvent = [&](int depth, json::parse_event_t ev, json& parsed) {
        if (ev == json::parse_event_t::key && depth == 1 && parsed.is_string()) {
            const auto& k = parsed.get_ref<const std::string&>();
            if (!seen.insert(k).second && duplicate.empty()) duplicate = k;
        }
        return true;
    };
    const char* text = reinterpret_cast<const char*>(file_->data() + 8);
    json header = json::parse(text, text + n, onEvent, /*allow_exceptions=*/false);
    if (header.is_discarded())
        return errorf("%s: header at offset 8 (%llu bytes) is not valid JSON", p.c_str(), (ull)n);
    if (!header.is_object()) return errorf("%s: header at offset 8 is not a JSON object", p.c_str());
    if (!duplicate.empty())
        return errorf("%s: header lists tensor '%s' more than once", p.c_str(), duplicate.c_str());

    entries_.reserve(header.size());
    for (auto it = header.begin(); it != header.end(); ++it) {
        if (it.key() == "__metadata__") continue;  // free-form strings; nothing Facet needs
        const std::string where = p + ": tensor '" + it.key() + "'";
        FACET_ASSIGN(SafetensorsEntry e, parseEntry(it.key(), it.value(), where));
        if (e.begin > e.end)
            return errorf("%s: data_offsets [%llu, %llu] has begin > end", where.c_str(), (ull)e.begin, (ull)e.end);
        if (e.end > dataSize)
            return errorf("%s: data [%llu, %llu) ends at file offset %llu, past the end of the file (%llu bytes)",
                          where.c_str(), (ull)e.begin, (ull)e.end, (ull)(dataOffset_ + e.end), (ull)size);
        uint64_t count = 0;
        if (!elementCount(e.shape, count))
            return errorf("%s: element count of the shape overflows", where.c_str());
        if (uint64_t es = safetensorsDtypeSize(e.dtype); es != 0) {
            uint64_t bytes = 0;
            if (__builtin_mul_overflow(count, es, &bytes) || bytes != e.end - e.begin)
                return errorf("%s @%llu: %llu bytes of data, expected %llu elements x %llu bytes (%s)",
                              where.c_str(), (ull)(dataOffset_ + e.begin), (ull)(e.end - e.begin), (ull)count,
                              (ull)es, e.dtype.c_str());
        }
        entries_.push_back(std::move(e));
    }

    // Overlap check: walk the tensors by start offset; empty tensors occupy nothing.
    std::vector<const SafetensorsEntry*> byOffset;
    for (const auto& e : entries_)
        if (e.end > e.begin) byOffset.push_back(&e);
    std::sort(byOffset.begin(), byOffset.end(),
              [](const SafetensorsEntry* a, const SafetensorsEntry* b) { return a->begin < b->begin; });
    for (size_t i = 1; i < byOffset.size(); ++i) {
        const SafetensorsEntry& prev = *byOffset[i - 1];
        const SafetensorsEntry& cur = *byOffset[i];
        if (cur.begin < prev.end)
            return errorf("%s: tensor '%s' [%llu, %llu) overlaps tensor '%s' [%llu, %llu)", p.c_str(),
                          cur.name.c_str(), (ull)cur.begin, (ull)cur.end, prev.name.c_str(), (ull)prev.begin,
                          (ull)prev.end);
    }

    std::sort(entries_.begin(), entries_.end(),
              [](const SafetensorsEntry& a, const SafetensorsEntry& b) { return a.name < b.name; });
    return Status::success();
}

const SafetensorsEntry* SafetensorsFile::entry(std::string_view name) const {
    auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                               [](const SafetensorsEntry& e, std::string_view n) { return e.name < n; });
    if (it == entries_.end() || it->name != name) return nullptr;
    return &*it;
}

Result<TensorView> SafetensorsFile::view(std::string_view name) const {
    const SafetensorsEntry* e = entry(name);
    if (e == nullptr)
        return errorf("%s: no tensor named '%.*s'", path().c_str(), (int)name.size(), name.data());
    return view(*e);
}

Result<TensorView> SafetensorsFile::view(const SafetensorsEntry& e) const {
    const std::string& p = path();
    const uint64_t abs = dataOffset_ + e.begin;
    TensorView v;
    if (e.dtype == "BF16") v.type = GgmlType::BF16;
    else if (e.dtype == "F16") v.type = GgmlType::F16;
    else if (e.dtype == "F32") v.type = GgmlType::F32;
    else
        return errorf("%s: tensor '%s' @%llu has dtype %s; Facet reads only BF16, F16 and F32 safetensors tensors",
                      p.c_str(), e.name.c_str(), (ull)abs, e.dtype.c_str());
    if (e.shape.size() > 4)
        return errorf("%s: tensor '%s' has %zu dims, expected at most 4", p.c_str(), e.name.c_str(), e.shape.size());
    // Writers pad the header so data is aligned; kernels read elements in place.
    const uint64_t es = safetensorsDtypeSize(e.dtype);
    if (abs % es != 0)
        return errorf("%s: tensor '%s' data at offset %llu is not aligned to its %llu-byte %s elements", p.c_str(),
                      e.name.c_str(), (ull)abs, (ull)es, e.dtype.c_str());

    v.name = e.name;
    v.nDims = static_cast<int>(e.shape.size());
    for (size_t i = 0; i < e.shape.size(); ++i) v.ne[i] = e.shape[e.shape.size() - 1 - i];
    v.data = file_->data() + abs;
    v.nbytes = e.end - e.begin;
    v.fileOffset = abs;
    return v;
}

}  // namespace facet
