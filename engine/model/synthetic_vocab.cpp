#include "model/synthetic_vocab.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

namespace facet {
namespace {

const char* kCorpus =
    "The children liked to walk along the water after school, and in the evening they counted the boats near "
    "the bridge. Mara smiled at her brother and said that the river was quiet today. A small baker sold warm "
    "bread to the people who stayed in the old town. When the rain came, everyone listened to the sound on the "
    "roofs and read stories by the window. The teacher asked the students to write about their favourite place, "
    "and most of them wrote about the harbour, the market, or the long road that led into the green hills. "
    "Hello world! How are you? I am fine, thank you. What would you like to know about the weather, the news, "
    "or the history of this city? Please explain the answer step by step.";

// Splits UTF-8 text into characters.
std::vector<std::string> chars(const std::string& s) {
    std::vector<std::string> out;
    for (size_t i = 0; i < s.size();) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        out.push_back(s.substr(i, len));
        i += len;
    }
    return out;
}

}  // namespace

Result<Vocab> makeSyntheticVocab(int size) {
    if (size < 512) return errorf("a synthetic vocabulary needs at least 512 pieces, %d requested", size);
    Vocab v;
    v.source = "synthetic";
    auto add = [&](std::string piece, PieceType t) {
        v.pieces.push_back(std::move(piece));
        v.types.push_back(t);
    };
    add("<pad>", PieceType::Control);
    add("<eos>", PieceType::Control);
    add("<bos>", PieceType::Control);
    add("<unk>", PieceType::Unknown);
    add("<mask>", PieceType::Control);
    // Chat and tool markers (looked up by string, never by fixed id).
    for (const char* s : {"<|turn>", "<turn|>", "<|think|>", "<|tool>", "<tool|>"}) add(s, PieceType::Control);
    for (const char* s : {"<|channel>", "<channel|>", "<|tool_call>", "<tool_call|>", "<|tool_response>",
                          "<tool_response|>", "<|\"|>"})
        add(s, PieceType::UserDefined);
    for (int b = 0; b < 256; ++b) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "<0x%02X>", b);
        add(buf, PieceType::Byte);
    }
    add("\n", PieceType::Normal);
    add("\n\n", PieceType::Normal);

    // Words with spaces as "▁" attached to the following word (no dummy prefix).
    std::string text;
    for (const char* p = kCorpus; *p; ++p) text += *p == ' ' ? std::string("\xE2\x96\x81") : std::string(1, *p);
    std::vector<std::vector<std::string>> words;
    std::vector<std::string> cur;
    for (const std::string& c : chars(text)) {
        if (c == "\xE2\x96\x81" && !cur.empty()) {
            words.push_back(cur);
            cur.clear();
        }
        cur.push_back(c);
    }
    if (!cur.empty()) words.push_back(cur);

    std::set<std::string> have(v.pieces.begin(), v.pieces.end());
    for (const auto& w : words)
        for (const auto& c : w)
            if (have.insert(c).second) add(c, PieceType::Normal);

    // Greedy BPE training: merge the most frequent adjacent pair (ties by text).
    while (static_cast<int>(v.pieces.size()) < size) {
        std::map<std::pair<std::string, std::string>, int> freq;
        for (const auto& w : words)
            for (size_t i = 0; i + 1 < w.size(); ++i) ++freq[{w[i], w[i + 1]}];
        std::pair<std::string, std::string> best;
        int bestN = 0;
        for (const auto& [pair, n] : freq)
            if (n > bestN && !have.count(pair.first + pair.second)) best = pair, bestN = n;
        if (bestN == 0) break;
        const std::string merged = best.first + best.second;
        v.merges.push_back(best.first + " " + best.second);
        add(merged, PieceType::Normal);
        have.insert(merged);
        for (auto& w : words) {
            std::vector<std::string> out;
            for (size_t i = 0; i < w.size(); ++i) {
                if (i + 1 < w.size() && w[i] == best.first && w[i + 1] == best.second) {
                    out.push_back(merged);
                    ++i;
                } else {
                    out.push_back(w[i]);
                }
            }
            w = std::move(out);
        }
    }
    // Fill any remainder with unused pieces so the table has exactly `size` ids.
    for (int i = static_cast<int>(v.pieces.size()); i < size; ++i)
        add("<unused" + std::to_string(i) + ">", PieceType::Unused);
    return v;
}

}  // namespace facet
