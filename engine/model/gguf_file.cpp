// GGUF reader: header, metadata and tensor directory parsing plus validation
// of where tensor data lies. The file is untrusted input: every count is
// checked against the bytes that remain before anything is allocated, and
// every error names the file, the key or tensor, and the byte offset.
#include "model/gguf_file.h"

#include <algorithm>
#include <limits>

#include "core/mapped_file.h"
#include "model/gguf_cursor.h"

namespace facet {

namespace {

using ull = unsigned long long;

constexpr uint32_t kMagic = 0x46554747u;  // "GGUF" read as little-endian u32
constexpr uint64_t kDefaultAlignment = 32;
// Smallest possible records, used to reject absurd counts up front:
// key length (8) + value type (4) + 1-byte value; name length (8) + n_dims (4)
// + one ne (8) + type (4) + offset (8).
constexpr uint64_t kMinKvBytes = 13;
constexpr uint64_t kMinTensorBytes = 32;
// A larger alignment than this is no real file's and would only risk overflow.
constexpr uint64_t kMaxAlignment = uint64_t{1} << 30;

uint32_t byteSwap32(uint32_t v) {
    return (v >> 24) | ((v >> 8) & 0xFF00u) | ((v << 8) & 0xFF0000u) | (v << 24);
}

// Byte size of one scalar of a value type, 0 for String/Array/unknown.
uint64_t scalarSize(GgufValueType t) {
    switch (t) {
        case GgufValueType::UInt8:
        case GgufValueType::Int8:
        case GgufValueType::Bool: return 1;
        case GgufValueType::UInt16:
        case GgufValueType::Int16: return 2;
        case GgufValueType::UInt32:
        case GgufValueType::Int32:
        case GgufValueType::Float32: return 4;
        case GgufValueType::UInt64:
        case GgufValueType::Int64:
        case GgufValueType::Float64: return 8;
        default: return 0;
    }
}

// Reads one scalar of type `t` into the value's `i` or `f` field. `what`
// is built once by the caller: arrays hold up to millions of elements.
Status readScalar(GgufCursor& c, GgufValueType t, int64_t& i, double& f, const std::string& key,
                  const std::string& what) {
    const uint64_t at = c.pos();
    switch (t) {
        case GgufValueType::UInt8: { uint8_t v; FACET_TRY(c.read(v, what)); i = v; break; }
        case GgufValueType::Int8: { int8_t v; FACET_TRY(c.read(v, what)); i = v; break; }
        case GgufValueType::UInt16: { uint16_t v; FACET_TRY(c.read(v, what)); i = v; break; }
        case GgufValueType::Int16: { int16_t v; FACET_TRY(c.read(v, what)); i = v; break; }
        case GgufValueType::UInt32: { uint32_t v; FACET_TRY(c.read(v, what)); i = v; break; }
        case GgufValueType::Int32: { int32_t v; FACET_TRY(c.read(v, what)); i = v; break; }
        case GgufValueType::Int64: { int64_t v; FACET_TRY(c.read(v, what)); i = v; break; }
        case GgufValueType::Float32: { float v; FACET_TRY(c.read(v, what)); f = v; break; }
        case GgufValueType::Float64: { double v; FACET_TRY(c.read(v, what)); f = v; break; }
        case GgufValueType::UInt64: {
            uint64_t v;
            FACET_TRY(c.read(v, what));
            if (v > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
                return errorf("%s: key '%s' at offset %llu holds uint64 %llu, above the supported maximum %lld",
                              c.path().c_str(), key.c_str(), static_cast<ull>(at), static_cast<ull>(v),
                              static_cast<long long>(std::numeric_limits<int64_t>::max()));
            }
            i = static_cast<int64_t>(v);
            break;
        }
        case GgufValueType::Bool: {
            uint8_t v;
            FACET_TRY(c.read(v, what));
            if (v > 1) {
                return errorf("%s: key '%s' at offset %llu holds bool byte %u, expected 0 or 1", c.path().c_str(),
                              key.c_str(), static_cast<ull>(at), static_cast<unsigned>(v));
            }
            i = v;
            break;
        }
        default:
            return errorf("%s: key '%s': internal error, type %u is not a scalar", c.path().c_str(), key.c_str(),
                          static_cast<unsigned>(t));
    }
    return Status::success();
}

Status readValueType(GgufCursor& c, GgufValueType& out, const std::string& key, bool element) {
    const uint64_t at = c.pos();
    uint32_t raw = 0;
    FACET_TRY(c.read(raw, element ? "array element type of key '" + key + "'" : "value type of key '" + key + "'"));
    if (raw >= static_cast<uint32_t>(GgufValueType::Count)) {
        return errorf("%s: key '%s' has unknown %s %u at offset %llu (expected 0..%u)", c.path().c_str(),
                      key.c_str(), element ? "array element type" : "value type", raw, static_cast<ull>(at),
                      static_cast<unsigned>(GgufValueType::Count) - 1);
    }
    out = static_cast<GgufValueType>(raw);
    if (element && out == GgufValueType::Array) {
        return errorf("%s: key '%s' at offset %llu is a nested array, which GGUF readers do not accept",
                      c.path().c_str(), key.c_str(), static_cast<ull>(at));
    }
    return Status::success();
}

Status readArray(GgufCursor& c, GgufValue& v, const std::string& key) {
    FACET_TRY(readValueType(c, v.arrayType, key, true));
    const uint64_t countAt = c.pos();
    uint64_t count = 0;
    FACET_TRY(c.read(count, "array count of key '" + key + "'"));
    // Strings take at least their 8-byte length each.
    const uint64_t minElem = v.arrayType == GgufValueType::String ? 8 : scalarSize(v.arrayType);
    if (count > c.left() / minElem) {
        return errorf("%s: key '%s' at offset %llu claims %llu %s elements, but only %llu bytes follow (need %llu each)",
                      c.path().c_str(), key.c_str(), static_cast<ull>(countAt), static_cast<ull>(count),
                      ggufValueTypeName(v.arrayType), static_cast<ull>(c.left()), static_cast<ull>(minElem));
    }
    const size_t n = static_cast<size_t>(count);
    const std::string what = "an element of array key '" + key + "'";
    Status st;
    size_t k = 0;
    if (v.arrayType == GgufValueType::String) {
        v.strings.resize(n);
        for (; k < n && st.ok(); ++k) st = c.readString(v.strings[k], what);
    } else if (v.arrayType == GgufValueType::Float32 || v.arrayType == GgufValueType::Float64) {
        v.floats.resize(n);
        int64_t unused = 0;
        for (; k < n && st.ok(); ++k) st = readScalar(c, v.arrayType, unused, v.floats[k], key, what);
    } else {
        v.ints.resize(n);
        double unused = 0;
        for (; k < n && st.ok(); ++k) st = readScalar(c, v.arrayType, v.ints[k], unused, key, what);
    }
    if (!st.ok()) return errorf("%s (element %zu of %zu)", st.message().c_str(), k - 1, n);
    return Status::success();
}

bool mulOverflows(uint64_t a, uint64_t b, uint64_t* out) { return __builtin_mul_overflow(a, b, out); }

}  // namespace

const char* ggufValueTypeName(GgufValueType t) {
    switch (t) {
        case GgufValueType::UInt8: return "uint8";
        case GgufValueType::Int8: return "int8";
        case GgufValueType::UInt16: return "uint16";
        case GgufValueType::Int16: return "int16";
        case GgufValueType::UInt32: return "uint32";
        case GgufValueType::Int32: return "int32";
        case GgufValueType::Float32: return "float32";
        case GgufValueType::Bool: return "bool";
        case GgufValueType::String: return "string";
        case GgufValueType::Array: return "array";
        case GgufValueType::UInt64: return "uint64";
        case GgufValueType::Int64: return "int64";
        case GgufValueType::Float64: return "float64";
        default: return "unknown";
    }
}

GgufFile::~GgufFile() = default;

Result<std::unique_ptr<GgufFile>> GgufFile::open(const std::string& path) {
    FACET_ASSIGN(auto map, MappedFile::open(path));
    std::unique_ptr<GgufFile> file(new GgufFile());
    file->path_ = path;
    file->base_ = map->data();
    file->size_ = map->size();
    file->map_ = std::move(map);
    FACET_TRY(file->parse());
    return file;
}

Result<std::unique_ptr<GgufFile>> GgufFile::fromBuffer(std::vector<uint8_t> bytes, std::string displayName) {
    std::unique_ptr<GgufFile> file(new GgufFile());
    file->path_ = std::move(displayName);
    file->buffer_ = std::move(bytes);
    file->base_ = file->buffer_.data();
    file->size_ = file->buffer_.size();
    FACET_TRY(file->parse());
    return file;
}

Status GgufFile::parse() {
    GgufCursor c(base_, size_, path_);
    const char* p = path_.c_str();

    uint32_t magic = 0;
    FACET_TRY(c.read(magic, "the GGUF header magic (truncated header)"));
    if (magic != kMagic) {
        return errorf("%s: not a GGUF file: expected magic \"GGUF\" (47 47 55 46) at offset 0, found %02x %02x %02x %02x",
                      p, magic & 0xFF, (magic >> 8) & 0xFF, (magic >> 16) & 0xFF, magic >> 24);
    }
    FACET_TRY(c.read(version_, "the GGUF version (truncated header)"));
    if (version_ != 2 && version_ != 3) {
        const uint32_t swapped = byteSwap32(version_);
        if (swapped >= 1 && swapped <= 3) {
            return errorf("%s: GGUF version 0x%08x at offset 4 looks byte-swapped (version %u in big-endian order): "
                          "big-endian GGUF files are not supported",
                          p, version_, swapped);
        }
        if (version_ == 1) {
            return errorf("%s: GGUF version 1 is not supported (expected 2 or 3); re-convert the model with a "
                          "current llama.cpp",
                          p);
        }
        return errorf("%s: unsupported GGUF version %u at offset 4 (expected 2 or 3)", p, version_);
    }

    uint64_t nTensors = 0, nKv = 0;
    FACET_TRY(c.read(nTensors, "the tensor count (truncated header)"));
    FACET_TRY(c.read(nKv, "the metadata count (truncated header)"));
    if (nKv > c.left() / kMinKvBytes) {
        return errorf("%s: metadata count %llu at offset 16 is impossible: each entry needs at least %llu bytes "
                      "and only %llu bytes follow",
                      p, static_cast<ull>(nKv), static_cast<ull>(kMinKvBytes), static_cast<ull>(c.left()));
    }
    if (nTensors > c.left() / kMinTensorBytes) {
        return errorf("%s: tensor count %llu at offset 8 is impossible: each entry needs at least %llu bytes "
                      "and only %llu bytes follow",
                      p, static_cast<ull>(nTensors), static_cast<ull>(kMinTensorBytes), static_cast<ull>(c.left()));
    }

    kv_.reserve(static_cast<size_t>(nKv));
    for (uint64_t k = 0; k < nKv; ++k) {
        const uint64_t at = c.pos();
        std::string key;
        FACET_TRY(c.readString(key, "metadata key #" + std::to_string(k)));
        if (kvIndex_.count(key) != 0) {
            return errorf("%s: duplicate metadata key '%s' at offset %llu (first defined as entry #%zu)", p,
                          key.c_str(), static_cast<ull>(at), kvIndex_[key]);
        }
        GgufValue v;
        FACET_TRY(readValueType(c, v.type, key, false));
        if (v.type == GgufValueType::String) {
            FACET_TRY(c.readString(v.str, "string value of key '" + key + "'"));
        } else if (v.type == GgufValueType::Array) {
            FACET_TRY(readArray(c, v, key));
        } else {
            FACET_TRY(readScalar(c, v.type, v.i, v.f, key, "value of key '" + key + "'"));
        }
        kvIndex_.emplace(key, kv_.size());
        kv_.emplace_back(std::move(key), std::move(v));
    }

    if (const GgufValue* a = find("general.alignment")) {
        if (!a->isInteger() || a->type == GgufValueType::Bool) {
            return errorf("%s: key 'general.alignment' has type %s, expected an unsigned integer (uint32)", p,
                          ggufValueTypeName(a->type));
        }
        if (a->i <= 0 || (a->i & (a->i - 1)) != 0 || static_cast<uint64_t>(a->i) > kMaxAlignment) {
            return errorf("%s: key 'general.alignment' is %lld, expected a power of two between 1 and %llu", p,
                          static_cast<long long>(a->i), static_cast<ull>(kMaxAlignment));
        }
        alignment_ = static_cast<uint64_t>(a->i);
    } else {
        alignment_ = kDefaultAlignment;
    }

    if (nTensors > c.left() / kMinTensorBytes) {
        return errorf("%s: tensor count %llu is impossible: the directory at offset %llu needs at least %llu bytes "
                      "per tensor and only %llu bytes follow",
                      p, static_cast<ull>(nTensors), static_cast<ull>(c.pos()), static_cast<ull>(kMinTensorBytes),
                      static_cast<ull>(c.left()));
    }
    tensors_.reserve(static_cast<size_t>(nTensors));
    std::vector<uint64_t> recordAt;
    recordAt.reserve(static_cast<size_t>(nTensors));
    for (uint64_t t = 0; t < nTensors; ++t) {
        const uint64_t at = c.pos();
        GgufTensorInfo info;
        FACET_TRY(c.readString(info.name, "name of tensor #" + std::to_string(t)));
        const char* nm = info.name.c_str();
        if (tensorIndex_.count(info.name) != 0) {
            return errorf("%s: duplicate tensor '%s' at offset %llu (first defined as tensor #%zu)", p, nm,
                          static_cast<ull>(at), tensorIndex_[info.name]);
        }
        const std::string what = "tensor '" + info.name + "'";
        uint32_t nDims = 0;
        const uint64_t dimsAt = c.pos();
        FACET_TRY(c.read(nDims, what + " n_dims"));
        if (nDims < 1 || nDims > 4) {
            return errorf("%s: tensor '%s' at offset %llu has n_dims %u, expected 1..4", p, nm,
                          static_cast<ull>(dimsAt), nDims);
        }
        info.nDims = static_cast<int>(nDims);
        uint64_t elements = 1;
        for (uint32_t d = 0; d < nDims; ++d) {
            const uint64_t neAt = c.pos();
            uint64_t ne = 0;
            FACET_TRY(c.read(ne, what + " ne[" + std::to_string(d) + "]"));
            // Zero-sized tensors have no use in a model and complicate the range checks.
            if (ne < 1) {
                return errorf("%s: tensor '%s' at offset %llu has ne[%u] = 0, expected >= 1", p, nm,
                              static_cast<ull>(neAt), d);
            }
            if (mulOverflows(elements, ne, &elements) ||
                elements > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
                return errorf("%s: tensor '%s' at offset %llu: ne[%u] = %llu makes the element count overflow int64",
                              p, nm, static_cast<ull>(neAt), d, static_cast<ull>(ne));
            }
            info.ne[d] = static_cast<int64_t>(ne);
        }
        const uint64_t typeAt = c.pos();
        FACET_TRY(c.read(info.rawType, what + " type"));
        const TypeInfo ti = typeInfo(info.rawType);
        if (ti.blockElems == 0) {
            return errorf("%s: tensor '%s' at offset %llu has unknown type number %u", p, nm,
                          static_cast<ull>(typeAt), info.rawType);
        }
        info.type = static_cast<GgmlType>(info.rawType);  // a named enumerator: the layout is known
        if (static_cast<uint64_t>(info.ne[0]) % ti.blockElems != 0) {
            return errorf("%s: tensor '%s' of type %s has ne[0] = %lld, which is not a multiple of the block size %u",
                          p, nm, ti.name, static_cast<long long>(info.ne[0]), ti.blockElems);
        }
        uint64_t rowBytesN = static_cast<uint64_t>(info.ne[0]) / ti.blockElems * ti.blockBytes;
        if (mulOverflows(rowBytesN, elements / static_cast<uint64_t>(info.ne[0]), &info.nbytes)) {
            return errorf("%s: tensor '%s' of shape %s is too large: its byte size overflows 64 bits", p, nm,
                          shapeString(TensorView{info.name, info.type, info.ne, info.nDims}).c_str());
        }
        FACET_TRY(c.read(info.offset, what + " data offset"));
        recordAt.push_back(at);
        tensorIndex_.emplace(info.name, tensors_.size());
        tensors_.push_back(std::move(info));
    }

    // The data section starts at the next alignment boundary after the directory.
    const uint64_t dirEnd = c.pos();
    dataOffset_ = (dirEnd + alignment_ - 1) / alignment_ * alignment_;
    const uint64_t dataBytes = size_ > dataOffset_ ? size_ - dataOffset_ : 0;
    for (size_t t = 0; t < tensors_.size(); ++t) {
        const GgufTensorInfo& ti = tensors_[t];
        if (ti.offset % alignment_ != 0) {
            return errorf("%s: tensor '%s' (directory entry at offset %llu) has data offset %llu, which is not a "
                          "multiple of the alignment %llu",
                          p, ti.name.c_str(), static_cast<ull>(recordAt[t]), static_cast<ull>(ti.offset),
                          static_cast<ull>(alignment_));
        }
        if (ti.offset > dataBytes || ti.nbytes > dataBytes - ti.offset) {
            return errorf("%s: tensor '%s' data [%llu, +%llu bytes) relative to the data section at offset %llu runs "
                          "past the end of the file (size %llu, so %llu data bytes)",
                          p, ti.name.c_str(), static_cast<ull>(ti.offset), static_cast<ull>(ti.nbytes),
                          static_cast<ull>(dataOffset_), static_cast<ull>(size_), static_cast<ull>(dataBytes));
        }
    }
    // Overlap check: sorted by offset, each tensor must end before the next begins.
    std::vector<size_t> order(tensors_.size());
    for (size_t t = 0; t < order.size(); ++t) order[t] = t;
    std::sort(order.begin(), order.end(),
              [&](size_t a, size_t b) { return tensors_[a].offset < tensors_[b].offset; });
    for (size_t k = 1; k < order.size(); ++k) {
        const GgufTensorInfo& prev = tensors_[order[k - 1]];
        const GgufTensorInfo& next = tensors_[order[k]];
        if (prev.offset + prev.nbytes > next.offset) {
            return errorf("%s: tensors '%s' (data offset %llu, %llu bytes) and '%s' (data offset %llu) overlap", p,
                          prev.name.c_str(), static_cast<ull>(prev.offset), static_cast<ull>(prev.nbytes),
                          next.name.c_str(), static_cast<ull>(next.offset));
        }
    }
    return Status::success();
}

const GgufValue* GgufFile::find(std::string_view key) const {
    auto it = kvIndex_.find(std::string(key));
    return it == kvIndex_.end() ? nullptr : &kv_[it->second].second;
}

const GgufTensorInfo* GgufFile::findTensor(std::string_view name) const {
    auto it = tensorIndex_.find(std::string(name));
    return it == tensorIndex_.end() ? nullptr : &tensors_[it->second];
}

Result<TensorView> GgufFile::view(const GgufTensorInfo& info) const {
    if (!isSupportedType(info.rawType)) {
        return errorf("%s: tensor '%s' has type %s, which Facet cannot read (supported: F32, F16, BF16, Q8_0, Q4_0, "
                      "Q4_1, Q5_0, Q5_1, Q4_K, Q5_K, Q6_K)",
                      path_.c_str(), info.name.c_str(), typeName(info.rawType).c_str());
    }
    // Re-check the range: `info` might not come from this file's directory.
    const uint64_t dataBytes = size_ > dataOffset_ ? size_ - dataOffset_ : 0;
    if (info.offset > dataBytes || info.nbytes > dataBytes - info.offset) {
        return errorf("%s: tensor '%s' data at offset %llu (+%llu bytes) lies outside the file", path_.c_str(),
                      info.name.c_str(), static_cast<ull>(dataOffset_ + info.offset), static_cast<ull>(info.nbytes));
    }
    TensorView v;
    v.name = info.name;
    v.type = info.type;
    v.ne = info.ne;
    v.nDims = info.nDims;
    v.data = base_ + dataOffset_ + info.offset;
    v.nbytes = info.nbytes;
    v.fileOffset = dataOffset_ + info.offset;
    return v;
}

}  // namespace facet
