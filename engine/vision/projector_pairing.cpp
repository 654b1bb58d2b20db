#include "vision/projector_pairing.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <tuple>

#include <nlohmann/json.hpp>

#include "core/mapped_file.h"
#include "model/gguf_file.h"
#include "model/gguf_split.h"
#include "model/safetensors_file.h"

namespace facet {

namespace {

namespace fs = std::filesystem;

constexpr int kMaxWidth = 65536;                  // as descFromGguf bounds gemma4.embedding_length
constexpr uint64_t kMaxIndexBytes = 64ull << 20;  // as HfFolder bounds a shard index

std::string lower(std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// "mmproj-gemma-4-E2B-it-f16.gguf" -> {"mmproj", "gemma", "4", "e2b", "it", "f16", "gguf"}.
std::vector<std::string> nameTokens(std::string_view name) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : name) {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            cur += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
    }
    if (!cur.empty()) out.push_back(std::move(cur));
    return out;
}

bool isPrecisionToken(const std::string& t) {
    return t == "f16" || t == "fp16" || t == "bf16" || t == "f32" || t == "fp32";
}

// How much of the model's name a projector's name repeats: the letters of its
// distinct tokens that the model's name also has, leaving out the words every
// projector carries ("mmproj", "gguf") and precisions (they say nothing about
// which model the tower belongs to).
int sharedNameScore(const std::string& projectorName, const std::string& modelName) {
    const std::vector<std::string> modelTokens = nameTokens(modelName);
    const std::set<std::string> model(modelTokens.begin(), modelTokens.end());
    const std::vector<std::string> projectorTokens = nameTokens(projectorName);
    std::set<std::string> seen;
    int score = 0;
    for (const std::string& t : projectorTokens) {
        if (t == "mmproj" || t == "gguf" || isPrecisionToken(t) || !seen.insert(t).second) continue;
        if (model.count(t)) score += static_cast<int>(t.size());
    }
    return score;
}

// Smaller first: the half-precision files are half the size of F32 and what
// the converter writes by default.
int precisionRank(GgmlType t) {
    if (t == GgmlType::F16) return 0;
    if (t == GgmlType::BF16) return 1;
    if (t == GgmlType::F32) return 3;
    return 2;  // quantized
}

}  // namespace

const char* pairingStatusName(PairingStatus s) {
    switch (s) {
        case PairingStatus::Paired: return "paired";
        case PairingStatus::NoCandidate: return "no candidate";
        case PairingStatus::NoneFits: return "none fits";
        case PairingStatus::ModelUnreadable: return "model unreadable";
        case PairingStatus::Count: break;
    }
    return "?";
}

bool isProjectorFileName(std::string_view fileName) {
    const std::string l = lower(fileName);
    return l.size() > 5 && l.rfind("mmproj", 0) == 0 && l.compare(l.size() - 5, 5, ".gguf") == 0;
}

int projectorNamePrecisionRank(std::string_view fileName) {
    int best = 3;
    for (const std::string& t : nameTokens(fileName)) {
        if (t == "f16" || t == "fp16") best = std::min(best, 0);
        else if (t == "bf16") best = std::min(best, 1);
        else if (t == "f32" || t == "fp32") best = std::min(best, 2);
    }
    return best;
}

Result<ProjectorHeader> readProjectorHeader(const std::string& path) {
    // GgufFile maps the file and parses header, metadata and tensor directory;
    // no tensor byte is touched here.
    FACET_ASSIGN(auto f, GgufFile::open(path));
    ProjectorHeader h;
    FACET_ASSIGN(auto type, f->getString("clip.projector_type"));
    if (!type) {
        FACET_ASSIGN(type, f->getString("clip.vision.projector_type"));
    }
    if (!type) return errorf("%s: not a projector file (no clip.projector_type)", path.c_str());
    h.projectorType = *type;
    FACET_ASSIGN(auto hasVision, f->getBool("clip.has_vision_encoder"));
    h.hasVisionEncoder = !hasVision || *hasVision;
    if (const GgufTensorInfo* proj = f->findTensor("mm.input_projection.weight")) {
        if (proj->ne[1] <= 0 || proj->ne[1] > kMaxWidth)
            return errorf("%s: tensor 'mm.input_projection.weight' has %lld outputs, expected 1..%d", path.c_str(),
                          static_cast<long long>(proj->ne[1]), kMaxWidth);
        h.textWidth = static_cast<int>(proj->ne[1]);
        h.projectionType = proj->type;
    } else {
        FACET_ASSIGN(auto dim, f->getInt("clip.vision.projection_dim"));
        if (!dim) return errorf("%s: neither 'mm.input_projection.weight' nor 'clip.vision.projection_dim' gives the "
                                "output width", path.c_str());
        if (*dim <= 0 || *dim > kMaxWidth)
            return errorf("%s: 'clip.vision.projection_dim' = %lld is out of range 1..%d", path.c_str(),
                          static_cast<long long>(*dim), kMaxWidth);
        h.textWidth = static_cast<int>(*dim);
    }
    return h;
}

Result<int> readModelHiddenWidth(const std::string& path) {
    FACET_ASSIGN(auto f, openGgufHead(path));  // a split model's metadata is in part 1
    FACET_ASSIGN(auto arch, f->getString("general.architecture"));
    if (!arch || *arch != "gemma4")
        return errorf("%s: architecture is '%s', not a Gemma 4 text model ('gemma4')", path.c_str(),
                      arch ? arch->c_str() : "");
    FACET_ASSIGN(auto hidden, f->getInt("gemma4.embedding_length"));
    if (!hidden) return errorf("%s: required metadata key 'gemma4.embedding_length' is missing", path.c_str());
    if (*hidden <= 0 || *hidden > kMaxWidth)
        return errorf("%s: gemma4.embedding_length = %lld is out of range 1..%d", path.c_str(),
                      static_cast<long long>(*hidden), kMaxWidth);
    return static_cast<int>(*hidden);
}

ProjectorPairing findProjector(const std::string& modelPath) {
    std::error_code ec;
    if (fs::is_directory(modelPath, ec)) {  // an HF folder carries its tower in its own weights
        ProjectorPairing p;
        Result<bool> tower = hfFolderHasVisionTower(modelPath);
        p.status = tower.ok() && tower.value() ? PairingStatus::Paired : PairingStatus::NoCandidate;
        if (p.paired()) p.path = modelPath;
        else p.reason = tower.ok() ? modelPath + ": the folder's weights hold no vision tower" : tower.message();
        return p;
    }
    Result<int> hidden = readModelHiddenWidth(modelPath);
    if (!hidden.ok()) {
        ProjectorPairing p;
        p.status = PairingStatus::ModelUnreadable;
        p.reason = hidden.message();
        return p;
    }
    return findProjector(modelPath, hidden.value());
}

ProjectorPairing findProjector(const std::string& modelPath, int modelHidden) {
    ProjectorPairing out;
    const fs::path model(modelPath);
    const fs::path dir = model.has_parent_path() ? model.parent_path() : fs::path(".");
    const std::string modelName = model.filename().string();

    std::error_code ec;
    std::vector<std::string> names;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        std::error_code fileEc;
        if (name != modelName && isProjectorFileName(name) && it->is_regular_file(fileEc)) names.push_back(name);
    }
    if (ec) {
        out.status = PairingStatus::NoCandidate;
        out.reason = dir.string() + ": cannot list the folder: " + ec.message();
        return out;
    }
    std::sort(names.begin(), names.end());  // directory order never decides
    if (names.empty()) {
        out.status = PairingStatus::NoCandidate;
        out.reason = modelName + ": no mmproj*.gguf beside it in " + dir.string();
        return out;
    }

    // (shared name, precision, name): the best sorts first.
    std::vector<std::tuple<int, int, std::string, size_t>> fits;
    for (const std::string& name : names) {
        ProjectorCandidate c;
        c.path = (dir / name).string();
        Result<ProjectorHeader> h = readProjectorHeader(c.path);
        if (!h.ok()) {
            c.refusal = h.message();
        } else if (h->projectorType != "gemma4v") {
            c.refusal = c.path + ": projector type '" + h->projectorType + "' is not Gemma 4 vision (gemma4v)";
        } else if (!h->hasVisionEncoder) {
            c.refusal = c.path + ": the projector has no vision encoder";
        } else if (h->textWidth != modelHidden) {
            c.refusal = c.path + ": makes soft tokens " + std::to_string(h->textWidth) + " wide, but " + modelName +
                        " has hidden width " + std::to_string(modelHidden);
        } else {
            fits.emplace_back(-sharedNameScore(name, modelName), precisionRank(h->projectionType), name,
                              out.candidates.size());
        }
        out.candidates.push_back(std::move(c));
    }
    if (fits.empty()) {
        out.status = PairingStatus::NoneFits;
        out.reason = modelName + ": no projector beside it fits:";
        for (const ProjectorCandidate& c : out.candidates) out.reason += " " + c.refusal + ";";
        out.reason.pop_back();
        return out;
    }
    std::sort(fits.begin(), fits.end());
    out.status = PairingStatus::Paired;
    out.path = out.candidates[std::get<3>(fits.front())].path;
    return out;
}

Result<bool> hfFolderHasVisionTower(const std::string& dir) {
    const auto isTower = [](std::string_view name) { return name.find("vision_tower") != std::string_view::npos; };
    std::error_code ec;
    const fs::path root(dir);
    const std::string index = (root / "model.safetensors.index.json").string();
    const std::string single = (root / "model.safetensors").string();
    if (fs::is_regular_file(index, ec)) {
        FACET_ASSIGN(auto mf, MappedFile::open(index));
        if (mf->size() > kMaxIndexBytes)
            return errorf("%s: %llu bytes, expected at most %llu for a shard index", index.c_str(),
                          (unsigned long long)mf->size(), (unsigned long long)kMaxIndexBytes);
        const char* text = reinterpret_cast<const char*>(mf->data());
        const nlohmann::json doc = nlohmann::json::parse(text, text + mf->size(), nullptr, /*allow_exceptions=*/false);
        if (doc.is_discarded() || !doc.is_object()) return errorf("%s: not a JSON object", index.c_str());
        const auto wm = doc.find("weight_map");
        if (wm == doc.end() || !wm->is_object()) return errorf("%s: missing object 'weight_map'", index.c_str());
        for (auto it = wm->begin(); it != wm->end(); ++it)
            if (isTower(it.key())) return true;
        return false;
    }
    if (fs::is_regular_file(single, ec)) {
        FACET_ASSIGN(auto st, SafetensorsFile::open(single));  // header only; the data stays mapped, unread
        for (const SafetensorsEntry& e : st->tensors())
            if (isTower(e.name)) return true;
        return false;
    }
    return errorf("%s: neither model.safetensors nor model.safetensors.index.json found", dir.c_str());
}

}  // namespace facet
