#include "model/safetensors_writer.h"

#include <cstdio>
#include <filesystem>

#include <nlohmann/json.hpp>

namespace facet {

static const char* dtypeName(GgmlType t) {
    switch (t) {
        case GgmlType::F32: return "F32";
        case GgmlType::F16: return "F16";
        case GgmlType::BF16: return "BF16";
        default: return nullptr;
    }
}

Status SafetensorsWriter::add(std::string name, GgmlType type, std::vector<int64_t> shape, std::vector<uint8_t> data) {
    if (!dtypeName(type)) return errorf("safetensors: tensor '%s': type %s cannot be stored", name.c_str(), typeName(type).c_str());
    uint64_t n = 1;
    for (int64_t s : shape) n *= static_cast<uint64_t>(s);
    if (n * typeInfo(type).blockBytes != data.size())
        return errorf("safetensors: tensor '%s': %zu bytes for %llu elements", name.c_str(), data.size(),
                      static_cast<unsigned long long>(n));
    entries_.push_back({std::move(name), type, std::move(shape), std::move(data)});
    return {};
}

Status SafetensorsWriter::write(const std::string& path) const {
    nlohmann::json header = nlohmann::json::object();
    header["__metadata__"] = {{"format", "pt"}};
    uint64_t offset = 0;
    for (const Entry& e : entries_) {
        header[e.name] = {{"dtype", dtypeName(e.type)}, {"shape", e.shape}, {"data_offsets", {offset, offset + e.data.size()}}};
        offset += e.data.size();
    }
    std::string text = header.dump();
    while (text.size() % 8) text += ' ';  // keeps the data 8-byte aligned, as the reference writer does
    const std::string tmp = path + ".tmp";
    FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) return errorf("%s: cannot write", tmp.c_str());
    uint8_t len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(static_cast<uint64_t>(text.size()) >> (8 * i));
    bool ok = std::fwrite(len, 1, 8, f) == 8 && std::fwrite(text.data(), 1, text.size(), f) == text.size();
    for (const Entry& e : entries_) ok = ok && std::fwrite(e.data.data(), 1, e.data.size(), f) == e.data.size();
    ok = std::fclose(f) == 0 && ok;
    std::error_code ec;
    if (!ok) {
        std::filesystem::remove(tmp, ec);
        return errorf("%s: write failed", path.c_str());
    }
    std::filesystem::rename(tmp, path, ec);
    if (ec) return errorf("%s: %s", path.c_str(), ec.message().c_str());
    return {};
}

}  // namespace facet
