// GGUF writer. One writeTo() routine produces the bytes for both the in-memory
// and the on-disk path, so what tests parse is exactly what the generator writes.
#include "model/gguf_writer.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

namespace facet {

namespace {

using ull = unsigned long long;

constexpr uint64_t kDefaultAlignment = 32;

uint64_t alignUp(uint64_t v, uint64_t a) { return (v + a - 1) / a * a; }

bool validAlignment(const GgufValue& v) {
    return v.isInteger() && v.type != GgufValueType::Bool && v.i > 0 && (v.i & (v.i - 1)) == 0 &&
           v.i <= (int64_t{1} << 30);
}

// Little-endian field writers over a sink: bool(const void*, size_t).
template <typename Sink>
class Out {
public:
    explicit Out(Sink& sink) : sink_(sink) {}
    bool bytes(const void* p, size_t n) {
        if (!ok_ || n == 0) return ok_;
        ok_ = sink_(p, n);
        pos_ += n;
        return ok_;
    }
    template <typename T>
    bool pod(T v) { return bytes(&v, sizeof v); }
    bool str(const std::string& s) { return pod<uint64_t>(s.size()) && bytes(s.data(), s.size()); }
    bool zeros(uint64_t n) {
        static const uint8_t kZero[64] = {};
        while (n > 0 && ok_) {
            const size_t k = n < sizeof kZero ? static_cast<size_t>(n) : sizeof kZero;
            bytes(kZero, k);
            n -= k;
        }
        return ok_;
    }
    uint64_t pos() const { return pos_; }
    bool ok() const { return ok_; }

private:
    Sink& sink_;
    uint64_t pos_ = 0;
    bool ok_ = true;
};

template <typename Sink>
bool scalar(Out<Sink>& o, GgufValueType t, int64_t i, double f) {
    switch (t) {
        case GgufValueType::UInt8: return o.template pod<uint8_t>(static_cast<uint8_t>(i));
        case GgufValueType::Int8: return o.template pod<int8_t>(static_cast<int8_t>(i));
        case GgufValueType::UInt16: return o.template pod<uint16_t>(static_cast<uint16_t>(i));
        case GgufValueType::Int16: return o.template pod<int16_t>(static_cast<int16_t>(i));
        case GgufValueType::UInt32: return o.template pod<uint32_t>(static_cast<uint32_t>(i));
        case GgufValueType::Int32: return o.template pod<int32_t>(static_cast<int32_t>(i));
        case GgufValueType::UInt64: return o.template pod<uint64_t>(static_cast<uint64_t>(i));
        case GgufValueType::Int64: return o.template pod<int64_t>(i);
        case GgufValueType::Float32: return o.template pod<float>(static_cast<float>(f));
        case GgufValueType::Float64: return o.template pod<double>(f);
        case GgufValueType::Bool: return o.template pod<uint8_t>(i != 0 ? 1 : 0);
        default: return false;
    }
}

template <typename Sink>
bool value(Out<Sink>& o, const GgufValue& v) {
    o.template pod<uint32_t>(static_cast<uint32_t>(v.type));
    if (v.type == GgufValueType::String) return o.str(v.str);
    if (v.type != GgufValueType::Array) return scalar(o, v.type, v.i, v.f);
    o.template pod<uint32_t>(static_cast<uint32_t>(v.arrayType));
    o.template pod<uint64_t>(v.arraySize());
    if (v.arrayType == GgufValueType::String) {
        for (const std::string& s : v.strings) o.str(s);
    } else if (v.arrayType == GgufValueType::Float32 || v.arrayType == GgufValueType::Float64) {
        for (double f : v.floats) scalar(o, v.arrayType, 0, f);
    } else {
        for (int64_t i : v.ints) scalar(o, v.arrayType, i, 0.0);
    }
    return o.ok();
}

GgufValue scalarValue(GgufValueType t, int64_t i, double f) {
    GgufValue v;
    v.type = t;
    v.i = i;
    v.f = f;
    return v;
}

}  // namespace

void GgufWriter::addValue(const std::string& key, GgufValue v) {
    for (auto& kv : kv_) {
        if (kv.first == key) {
            kv.second = std::move(v);
            return;
        }
    }
    kv_.emplace_back(key, std::move(v));
}

void GgufWriter::addUInt8(const std::string& k, uint8_t v) { addValue(k, scalarValue(GgufValueType::UInt8, v, 0)); }
void GgufWriter::addInt8(const std::string& k, int8_t v) { addValue(k, scalarValue(GgufValueType::Int8, v, 0)); }
void GgufWriter::addUInt16(const std::string& k, uint16_t v) { addValue(k, scalarValue(GgufValueType::UInt16, v, 0)); }
void GgufWriter::addInt16(const std::string& k, int16_t v) { addValue(k, scalarValue(GgufValueType::Int16, v, 0)); }
void GgufWriter::addUInt32(const std::string& k, uint32_t v) { addValue(k, scalarValue(GgufValueType::UInt32, v, 0)); }
void GgufWriter::addInt32(const std::string& k, int32_t v) { addValue(k, scalarValue(GgufValueType::Int32, v, 0)); }
void GgufWriter::addUInt64(const std::string& k, uint64_t v) {
    addValue(k, scalarValue(GgufValueType::UInt64, static_cast<int64_t>(v), 0));
}
void GgufWriter::addInt64(const std::string& k, int64_t v) { addValue(k, scalarValue(GgufValueType::Int64, v, 0)); }
void GgufWriter::addFloat32(const std::string& k, float v) { addValue(k, scalarValue(GgufValueType::Float32, 0, v)); }
void GgufWriter::addFloat64(const std::string& k, double v) { addValue(k, scalarValue(GgufValueType::Float64, 0, v)); }
void GgufWriter::addBool(const std::string& k, bool v) { addValue(k, scalarValue(GgufValueType::Bool, v ? 1 : 0, 0)); }

void GgufWriter::addString(const std::string& key, std::string s) {
    GgufValue v;
    v.type = GgufValueType::String;
    v.str = std::move(s);
    addValue(key, std::move(v));
}

void GgufWriter::addIntArray(const std::string& key, GgufValueType elemType, std::vector<int64_t> values) {
    GgufValue v;
    v.type = GgufValueType::Array;
    v.arrayType = elemType;
    v.ints = std::move(values);
    addValue(key, std::move(v));
}

void GgufWriter::addFloatArray(const std::string& key, GgufValueType elemType, std::vector<double> values) {
    GgufValue v;
    v.type = GgufValueType::Array;
    v.arrayType = elemType;
    v.floats = std::move(values);
    addValue(key, std::move(v));
}

void GgufWriter::addStringArray(const std::string& key, std::vector<std::string> values) {
    GgufValue v;
    v.type = GgufValueType::Array;
    v.arrayType = GgufValueType::String;
    v.strings = std::move(values);
    addValue(key, std::move(v));
}

void GgufWriter::addTensor(std::string name, GgmlType type, std::vector<int64_t> ne, std::vector<uint8_t> data) {
    addTensorRaw(std::move(name), static_cast<uint32_t>(type), std::move(ne), std::move(data));
}

void GgufWriter::addTensorRaw(std::string name, uint32_t rawType, std::vector<int64_t> ne, std::vector<uint8_t> data) {
    tensors_.push_back(Tensor{std::move(name), rawType, std::move(ne), std::move(data)});
}

uint64_t GgufWriter::alignment() const {
    for (const auto& kv : kv_) {
        if (kv.first == "general.alignment" && validAlignment(kv.second)) return static_cast<uint64_t>(kv.second.i);
    }
    return kDefaultAlignment;
}

Status GgufWriter::validate() const {
    if (version_ != 2 && version_ != 3) return errorf("GgufWriter: version %u, expected 2 or 3", version_);
    for (const auto& kv : kv_) {
        if (kv.first == "general.alignment" && !validAlignment(kv.second)) {
            return errorf("GgufWriter: general.alignment must be an integer power of two (got %lld)",
                          static_cast<long long>(kv.second.i));
        }
        const GgufValue& v = kv.second;
        const auto count = static_cast<uint32_t>(GgufValueType::Count);
        if (static_cast<uint32_t>(v.type) >= count ||
            (v.type == GgufValueType::Array && static_cast<uint32_t>(v.arrayType) >= count)) {
            return errorf("GgufWriter: key '%s' has an unknown value type", kv.first.c_str());
        }
        if (v.type == GgufValueType::Array && v.arrayType == GgufValueType::Array) {
            return errorf("GgufWriter: key '%s' is a nested array, which GGUF readers reject", kv.first.c_str());
        }
    }
    for (const Tensor& t : tensors_) {
        if (t.ne.empty() || t.ne.size() > 4) {
            return errorf("GgufWriter: tensor '%s' has %zu dims, expected 1..4", t.name.c_str(), t.ne.size());
        }
        const TypeInfo ti = typeInfo(t.rawType);
        if (ti.blockElems == 0) continue;  // unknown layout: written as given, for hostile tests
        uint64_t elements = 1;
        for (int64_t n : t.ne) {
            if (n < 1) return errorf("GgufWriter: tensor '%s' has a dimension of %lld", t.name.c_str(), (long long)n);
            elements *= static_cast<uint64_t>(n);
        }
        const uint64_t ne0 = static_cast<uint64_t>(t.ne[0]);
        if (ne0 % ti.blockElems != 0) {
            return errorf("GgufWriter: tensor '%s' of type %s has ne[0] = %llu, not a multiple of %u", t.name.c_str(),
                          ti.name, static_cast<ull>(ne0), ti.blockElems);
        }
        const uint64_t expected = elements / ti.blockElems * ti.blockBytes;
        if (t.data.size() != expected) {
            return errorf("GgufWriter: tensor '%s' of type %s needs %llu bytes, got %zu", t.name.c_str(), ti.name,
                          static_cast<ull>(expected), t.data.size());
        }
    }
    return Status::success();
}

template <typename Sink>
Status GgufWriter::writeTo(Sink& sink) const {
    FACET_TRY(validate());
    const uint64_t align = alignment();
    Out<Sink> o(sink);
    o.bytes("GGUF", 4);
    o.template pod<uint32_t>(version_);
    o.template pod<uint64_t>(tensors_.size());
    o.template pod<uint64_t>(kv_.size());
    for (const auto& kv : kv_) {
        o.str(kv.first);
        value(o, kv.second);
    }
    // Each tensor starts on an alignment boundary relative to the data section.
    uint64_t offset = 0;
    for (const Tensor& t : tensors_) {
        o.str(t.name);
        o.template pod<uint32_t>(static_cast<uint32_t>(t.ne.size()));
        for (int64_t n : t.ne) o.template pod<uint64_t>(static_cast<uint64_t>(n));
        o.template pod<uint32_t>(t.rawType);
        o.template pod<uint64_t>(offset);
        offset = alignUp(offset + t.data.size(), align);
    }
    o.zeros(alignUp(o.pos(), align) - o.pos());
    // Like llama.cpp, pad after every tensor, the last included.
    for (const Tensor& t : tensors_) {
        o.bytes(t.data.data(), t.data.size());
        o.zeros(alignUp(t.data.size(), align) - t.data.size());
    }
    if (!o.ok()) return errorf("GgufWriter: write failed after %llu bytes", static_cast<ull>(o.pos()));
    return Status::success();
}

Result<std::vector<uint8_t>> GgufWriter::serialize() const {
    std::vector<uint8_t> out;
    auto sink = [&out](const void* p, size_t n) {
        const auto* b = static_cast<const uint8_t*>(p);
        out.insert(out.end(), b, b + n);
        return true;
    };
    FACET_TRY(writeTo(sink));
    return out;
}

Status GgufWriter::write(const std::string& path) const {
    const std::string tmp = path + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (f == nullptr) {
        int err = errno;
        return errorf("%s: cannot create: %s", tmp.c_str(), std::strerror(err));
    }
    int writeErr = 0;
    auto sink = [f, &writeErr](const void* p, size_t n) {
        if (std::fwrite(p, 1, n, f) == n) return true;
        writeErr = errno;
        return false;
    };
    Status s = writeTo(sink);
    const bool closed = std::fclose(f) == 0;
    if (s.ok() && !closed) writeErr = errno;
    if (!s.ok() || !closed) {
        std::remove(tmp.c_str());
        if (!s.ok() && writeErr == 0) return errorf("%s: %s", path.c_str(), s.message().c_str());
        return errorf("%s: write failed: %s", tmp.c_str(), std::strerror(writeErr));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        int err = errno;
        std::remove(tmp.c_str());
        return errorf("%s: cannot rename %s into place: %s", path.c_str(), tmp.c_str(), std::strerror(err));
    }
    return Status::success();
}

}  // namespace facet
