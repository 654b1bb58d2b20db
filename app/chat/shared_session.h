// The chat's loaded model as the engine thread and the app's API server
// (app/server_host) share it: one ChatSession, one copy of the weights, one
// KV cache, used in turns. `use` is held by whoever runs the model or
// replaces it (a chat reply, a rerank, an API job, load, unload), so their
// generations never interleave; the Generator rewinds to the prefix each
// caller shares with its cache, so neither sees the other's KV state.
// `parts` guards the pointer and the path alone: the server counts a
// prompt's tokens (the tokenizer and format are immutable) under a shared
// lock, so the UI thread never waits for a running reply, only for a swap.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>

#include "runtime/chat_session.h"

struct SharedSession {
    std::timed_mutex use;  // timed: an API job waiting its turn still sees its cancel flag
    mutable std::shared_mutex parts;
    // Replaced only on the engine thread, holding `use` and `parts` (exclusive).
    std::unique_ptr<facet::ChatSession> session;
    std::string path;  // the loaded model file; "" when none
    // The chat is closing: API jobs stop within a token and new ones get no
    // turn, so the engine thread's last wait (the app quitting) is short.
    std::atomic<bool> closing{false};
};
