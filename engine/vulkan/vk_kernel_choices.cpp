#include "vulkan/vk_kernel_choices.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "shader_registry.h"

namespace facet::vk {

namespace {

// FNV-1a over every embedded module: another build's shaders may want other
// shapes, so its measurements do not carry over.
uint64_t spirvHash() {
    static const uint64_t h = [] {
        uint64_t v = 1469598103934665603ull;
        for (const shaders::ShaderBlob& b : shaders::allShaders()) {
            for (char c : b.name) v = (v ^ static_cast<uint8_t>(c)) * 1099511628211ull;
            for (size_t i = 0; i < b.wordCount; ++i) v = (v ^ b.words[i]) * 1099511628211ull;
        }
        return v;
    }();
    return h;
}

std::string noSpaces(std::string s) {
    for (char& c : s)
        if (c == ' ' || c == '\t' || c == '=' || c == '\n' || c == '\r') c = '_';
    return s;
}

// "<id> <key...> = n n n": the id, the key (it may hold spaces) and the
// numbers; nullopt for anything else (a torn or edited line).
struct Line {
    std::string id, key;
    std::vector<uint32_t> numbers;
};

std::optional<Line> parseLine(const std::string& text) {
    const size_t eq = text.find(" = ");
    const size_t sp = text.find(' ');
    if (eq == std::string::npos || sp == std::string::npos || sp >= eq || text.find(" = ", eq + 1) != std::string::npos)
        return std::nullopt;
    Line l;
    l.id = text.substr(0, sp);
    l.key = text.substr(sp + 1, eq - sp - 1);
    if (l.id.empty() || l.key.empty() || l.key.front() == ' ') return std::nullopt;
    std::istringstream in(text.substr(eq + 3));
    std::string word;
    while (in >> word) {
        if (word.size() > 10 || word.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
        const unsigned long long v = std::strtoull(word.c_str(), nullptr, 10);
        if (v > UINT32_MAX) return std::nullopt;
        l.numbers.push_back(static_cast<uint32_t>(v));
    }
    if (l.numbers.empty() || l.numbers.size() > 16) return std::nullopt;
    return l;
}

std::string formatLine(const std::string& id, const std::string& key, const std::vector<uint32_t>& numbers) {
    std::string s = id;
    s.append(1, ' ').append(key).append(" =");
    for (uint32_t n : numbers) s.append(1, ' ').append(std::to_string(n));
    return s;
}

constexpr const char* kHeader =
    "# Facet: GEMV/GEMM shapes measured per device (engine/vulkan/vk_kernel_choices.h). Safe to delete.";

}  // namespace

std::string kernelDeviceId(const DeviceCaps& c) {
    std::string off;
    for (const std::string& s : c.switchedOff) off += (off.empty() ? "" : ",") + s;
    char hash[17];
    std::snprintf(hash, sizeof hash, "%016llx", static_cast<unsigned long long>(spirvHash()));
    char head[64];
    std::snprintf(head, sizeof head, "%04x:%04x:%u:%u:", c.vendorId, c.deviceId, c.driverVersion, c.subgroupSize);
    return noSpaces(std::string(head) + (off.empty() ? "-" : off) + ":" + hash + ":" + c.name);
}

std::string defaultKernelChoicesPath() {
    if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/facet/kernel-choices.txt";
    if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/facet/kernel-choices.txt";
    return {};
}

std::optional<std::vector<uint32_t>> KernelChoices::find(const std::string& key) const {
    std::lock_guard lock(mutex_);
    auto it = choices_.find(key);
    if (it == choices_.end()) return std::nullopt;
    return it->second;
}

void KernelChoices::set(const std::string& key, std::vector<uint32_t> numbers) {
    std::lock_guard lock(mutex_);
    choices_[key] = std::move(numbers);
    count_ = choices_.size();
}

size_t KernelChoices::size() const {
    std::lock_guard lock(mutex_);
    return choices_.size();
}

Result<KernelChoices::LoadReport> KernelChoices::load(const std::string& path) {
    LoadReport r;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return r;
    std::ifstream in(path);
    if (!in) return errorf("%s: cannot read the kernel choices (%s)", path.c_str(), std::strerror(errno));
    std::string text;
    std::lock_guard lock(mutex_);
    while (std::getline(in, text)) {
        if (text.empty() || text[0] == '#') continue;
        auto l = parseLine(text);
        if (!l) {
            ++r.malformed;
            continue;
        }
        if (l->id != deviceId_) {
            ++r.otherDevices;
            continue;
        }
        choices_[l->key] = std::move(l->numbers);
        ++r.loaded;
    }
    count_ = choices_.size();
    return r;
}

Status KernelChoices::save(const std::string& path) const {
    namespace fs = std::filesystem;
    std::error_code ec;
    const fs::path p(path);
    if (p.has_parent_path()) fs::create_directories(p.parent_path(), ec);
    if (ec) return errorf("%s: cannot create its directory (%s)", path.c_str(), ec.message().c_str());
    std::vector<std::string> others;  // other devices' well-formed lines, as they are
    if (std::ifstream in(path); in) {
        std::string text;
        while (std::getline(in, text))
            if (auto l = parseLine(text); l && l->id != deviceId_) others.push_back(text);
    }
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::trunc);
        if (!out) return errorf("%s: cannot write (%s)", tmp.c_str(), std::strerror(errno));
        out << kHeader << "\n";
        for (const std::string& l : others) out << l << "\n";
        std::lock_guard lock(mutex_);
        for (const auto& [key, numbers] : choices_) out << formatLine(deviceId_, key, numbers) << "\n";
        out.flush();
        if (!out) {
            out.close();
            fs::remove(tmp, ec);
            return errorf("%s: write failed (disk full?)", tmp.c_str());
        }
    }
    fs::rename(tmp, p, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(tmp, ignored);
        return errorf("%s: cannot replace it (%s)", path.c_str(), ec.message().c_str());
    }
    return {};
}

}  // namespace facet::vk
