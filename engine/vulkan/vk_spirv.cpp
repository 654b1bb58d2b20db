#include "vulkan/vk_spirv.h"

#include <algorithm>
#include <map>
#include <set>

namespace facet::vk {

namespace {

// SPIR-V 1.x numbers (SPIR-V spec §3): opcodes, decorations, storage classes.
constexpr uint32_t kMagic = 0x07230203;
constexpr uint32_t kOpTypeInt = 21, kOpTypeFloat = 22, kOpTypeVector = 23, kOpTypeArray = 28, kOpTypeStruct = 30,
                   kOpTypePointer = 32, kOpConstant = 43, kOpVariable = 59, kOpDecorate = 71, kOpMemberDecorate = 72;
constexpr uint32_t kDecSpecId = 1, kDecArrayStride = 6, kDecNonWritable = 24, kDecBinding = 33, kDecDescriptorSet = 34,
                   kDecOffset = 35;
constexpr uint32_t kStorageUniformConstant = 0, kStoragePushConstant = 9;

struct Module {
    std::map<uint32_t, std::vector<uint32_t>> types;  // id -> instruction words (from the opcode word)
    std::map<uint32_t, uint32_t> constants;           // id -> first literal word
    std::map<uint32_t, uint32_t> arrayStride;
    std::map<std::pair<uint32_t, uint32_t>, uint32_t> memberOffset;
};

Result<uint32_t> sizeOf(const Module& m, uint32_t type, const std::string& name, int depth = 0) {
    if (depth > 16) return errorf("%s: push-constant type nesting too deep", name.c_str());
    auto it = m.types.find(type);
    if (it == m.types.end()) return errorf("%s: push-constant member type %%%u not found", name.c_str(), type);
    const std::vector<uint32_t>& t = it->second;
    const uint32_t op = t[0] & 0xFFFF;
    if ((op == kOpTypeInt || op == kOpTypeFloat) && t.size() >= 3) return t[2] / 8;
    if (op == kOpTypeVector && t.size() >= 4) {
        FACET_ASSIGN(uint32_t c, sizeOf(m, t[2], name, depth + 1));
        return c * t[3];
    }
    if (op == kOpTypeArray && t.size() >= 4) {
        auto len = m.constants.find(t[3]);
        auto stride = m.arrayStride.find(t[1]);
        if (len == m.constants.end() || stride == m.arrayStride.end())
            return errorf("%s: push-constant array %%%u without constant length or ArrayStride", name.c_str(), t[1]);
        return len->second * stride->second;
    }
    if (op == kOpTypeStruct) {
        uint32_t end = 0;
        for (size_t i = 2; i < t.size(); ++i) {
            const uint32_t member = static_cast<uint32_t>(i - 2);
            auto off = m.memberOffset.find({t[1], member});
            if (off == m.memberOffset.end())
                return errorf("%s: push-constant struct member %u has no Offset", name.c_str(), member);
            FACET_ASSIGN(uint32_t s, sizeOf(m, t[i], name, depth + 1));
            end = std::max(end, off->second + s);
        }
        return end;
    }
    return errorf("%s: push-constant member of SPIR-V type opcode %u cannot be sized", name.c_str(), op);
}

}  // namespace

Result<SpirvInterface> reflectSpirv(std::span<const uint32_t> words, const std::string& name) {
    if (words.size() < 5 || words[0] != kMagic)
        return errorf("%s: not a SPIR-V module (%zu words, first 0x%08x)", name.c_str(), words.size(),
                      words.empty() ? 0u : words[0]);
    Module m;
    std::set<uint32_t> specIds;
    std::map<uint32_t, uint32_t> bindingOf, setOf;
    std::set<uint32_t> texelVariables;  // UniformConstant variables: images, texel buffers
    std::vector<uint32_t> pushPointerTypes;  // result types of PushConstant variables
    std::map<uint32_t, uint32_t> pointee;    // pointer type id -> pointee type id
    std::map<uint32_t, uint32_t> variableType;                 // variable id -> its pointer type id
    std::set<uint32_t> nonWritable;                            // ids decorated NonWritable
    std::map<uint32_t, std::set<uint32_t>> nonWritableMembers;  // struct id -> members decorated NonWritable

    for (size_t i = 5; i < words.size();) {
        const uint32_t op = words[i] & 0xFFFF, len = words[i] >> 16;
        if (len == 0 || i + len > words.size())
            return errorf("%s: truncated SPIR-V instruction at word %zu", name.c_str(), i);
        const uint32_t* w = &words[i];
        switch (op) {
            case kOpDecorate:
                if (len >= 4 && w[2] == kDecSpecId) specIds.insert(w[3]);
                if (len >= 4 && w[2] == kDecBinding) bindingOf[w[1]] = w[3];
                if (len >= 4 && w[2] == kDecDescriptorSet) setOf[w[1]] = w[3];
                if (len >= 4 && w[2] == kDecArrayStride) m.arrayStride[w[1]] = w[3];
                if (len >= 3 && w[2] == kDecNonWritable) nonWritable.insert(w[1]);
                break;
            case kOpMemberDecorate:
                if (len >= 5 && w[3] == kDecOffset) m.memberOffset[{w[1], w[2]}] = w[4];
                if (len >= 4 && w[3] == kDecNonWritable) nonWritableMembers[w[1]].insert(w[2]);
                break;
            case kOpTypeInt:
            case kOpTypeFloat:
            case kOpTypeVector:
            case kOpTypeArray:
            case kOpTypeStruct:
                if (len >= 2) m.types[w[1]] = std::vector<uint32_t>(w, w + len);
                break;
            case kOpTypePointer:
                if (len >= 4) pointee[w[1]] = w[3];
                break;
            case kOpConstant:
                if (len >= 4) m.constants[w[2]] = w[3];
                break;
            case kOpVariable:
                if (len >= 4) variableType[w[2]] = w[1];
                if (len >= 4 && w[3] == kStoragePushConstant) pushPointerTypes.push_back(w[1]);
                if (len >= 4 && w[3] == kStorageUniformConstant) texelVariables.insert(w[2]);
                break;
            default: break;
        }
        i += len;
    }

    SpirvInterface out;
    out.specIds.assign(specIds.begin(), specIds.end());
    // A block is read-only when the variable or every member of its struct is NonWritable.
    auto writable = [&](uint32_t var) {
        if (texelVariables.count(var) || nonWritable.count(var)) return false;
        auto t = variableType.find(var);
        if (t == variableType.end()) return true;
        auto p = pointee.find(t->second);
        if (p == pointee.end()) return true;
        auto st = m.types.find(p->second);
        if (st == m.types.end() || (st->second[0] & 0xFFFF) != kOpTypeStruct) return true;
        const size_t members = st->second.size() - 2;
        auto ro = nonWritableMembers.find(p->second);
        return ro == nonWritableMembers.end() || ro->second.size() < members;
    };
    for (const auto& [id, binding] : bindingOf) {
        auto s = setOf.find(id);
        out.bindings.push_back({s == setOf.end() ? 0u : s->second, binding, texelVariables.count(id) > 0, writable(id)});
    }
    std::sort(out.bindings.begin(), out.bindings.end(),
              [](const auto& a, const auto& b) { return a.set != b.set ? a.set < b.set : a.binding < b.binding; });
    if (pushPointerTypes.size() > 1)
        return errorf("%s: %zu push-constant blocks (at most one per entry point)", name.c_str(),
                      pushPointerTypes.size());
    if (!pushPointerTypes.empty()) {
        auto p = pointee.find(pushPointerTypes[0]);
        if (p == pointee.end()) return errorf("%s: push-constant variable type not found", name.c_str());
        FACET_ASSIGN(out.pushBytes, sizeOf(m, p->second, name));
    }
    return out;
}

}  // namespace facet::vk
