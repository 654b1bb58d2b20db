// Stop strings over streamed text: text that might be the start of a stop
// string is held back until it is known not to be, and the stop string itself
// is never emitted (openai-server.md §2.1 rule 10).
#pragma once

#include <string>
#include <vector>

namespace facet::server {

class StopMatcher {
public:
    explicit StopMatcher(std::vector<std::string> stops);

    // Adds text; returns what is safe to emit now. After a match, the text
    // from the stop string on is dropped and matched() is true.
    std::string push(const std::string& text);
    // The held-back tail at the end of generation (empty after a match).
    std::string flush();
    bool matched() const { return matched_; }

private:
    std::vector<std::string> stops_;
    std::string pending_;
    bool matched_ = false;
};

}  // namespace facet::server
