// GgufValue helpers and GgufFile's typed metadata getters. The getters keep
// "absent" (nullopt) and "present but wrong" (Error) apart, so a mistyped key
// in a hostile or broken file can never silently fall back to a default.
#include "model/gguf_file.h"

namespace facet {

namespace {

std::string describeType(const GgufValue& v) {
    if (v.type != GgufValueType::Array) return ggufValueTypeName(v.type);
    return std::string("array of ") + ggufValueTypeName(v.arrayType);
}

Error wrongType(const std::string& path, std::string_view key, const GgufValue& v, const char* expected) {
    return errorf("%s: metadata key '%.*s' has type %s, expected %s", path.c_str(), static_cast<int>(key.size()),
                  key.data(), describeType(v).c_str(), expected);
}

bool isIntegerType(GgufValueType t) {
    switch (t) {
        case GgufValueType::UInt8:
        case GgufValueType::Int8:
        case GgufValueType::UInt16:
        case GgufValueType::Int16:
        case GgufValueType::UInt32:
        case GgufValueType::Int32:
        case GgufValueType::UInt64:
        case GgufValueType::Int64:
        case GgufValueType::Bool: return true;
        default: return false;
    }
}

}  // namespace

bool GgufValue::isInteger() const { return isIntegerType(type); }

bool GgufValue::isFloat() const { return type == GgufValueType::Float32 || type == GgufValueType::Float64; }

size_t GgufValue::arraySize() const {
    if (type != GgufValueType::Array) return 0;
    if (arrayType == GgufValueType::String) return strings.size();
    if (arrayType == GgufValueType::Float32 || arrayType == GgufValueType::Float64) return floats.size();
    return ints.size();
}

// A bool is not a number here: reading a flag as a count is a loader bug.
Result<std::optional<int64_t>> GgufFile::getInt(std::string_view key) const {
    const GgufValue* v = find(key);
    if (v == nullptr) return std::optional<int64_t>();
    if (!v->isInteger() || v->type == GgufValueType::Bool) return wrongType(path_, key, *v, "an integer");
    return std::optional<int64_t>(v->i);
}

Result<std::optional<double>> GgufFile::getFloat(std::string_view key) const {
    const GgufValue* v = find(key);
    if (v == nullptr) return std::optional<double>();
    if (v->isFloat()) return std::optional<double>(v->f);
    if (v->isInteger() && v->type != GgufValueType::Bool) return std::optional<double>(static_cast<double>(v->i));
    return wrongType(path_, key, *v, "a number");
}

Result<std::optional<bool>> GgufFile::getBool(std::string_view key) const {
    const GgufValue* v = find(key);
    if (v == nullptr) return std::optional<bool>();
    if (v->type != GgufValueType::Bool) return wrongType(path_, key, *v, "bool");
    return std::optional<bool>(v->i != 0);
}

Result<std::optional<std::string>> GgufFile::getString(std::string_view key) const {
    const GgufValue* v = find(key);
    if (v == nullptr) return std::optional<std::string>();
    if (v->type != GgufValueType::String) return wrongType(path_, key, *v, "string");
    return std::optional<std::string>(v->str);
}

}  // namespace facet
