// How long a test waits for something that must happen: a load, a reply, a
// signal, a child process. Only a hang reaches it, never a slow or busy
// machine: what a test asserts never depends on how long things took.
// (ctest's per-test timeout stops whatever this does not catch.)
#pragma once

namespace facet::test {

constexpr int kHangMs = 90000;

}  // namespace facet::test
