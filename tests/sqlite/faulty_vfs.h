// A fault-injecting SQLite VFS for tests, in the spirit of SQLite's own
// I/O-error tests: it wraps the default VFS and makes the Nth write, sync,
// truncate or lock (counted over every file of the process) fail, with
// SQLITE_IOERR or SQLITE_FULL. Installed as the default VFS while a
// FaultyVfs object lives, so library code under test uses it unchanged.
#pragma once

#include <cstdint>

namespace strata::testing {

class FaultyVfs {
 public:
  enum class Fault { kIoError, kDiskFull };
  FaultyVfs();
  ~FaultyVfs();
  FaultyVfs(const FaultyVfs&) = delete;
  FaultyVfs& operator=(const FaultyVfs&) = delete;

  // The operation number (1-based) that fails; with `persistent`, every one
  // after it fails too. 0 injects nothing. The count restarts at each call.
  void FailAt(int64_t operation, Fault fault, bool persistent);
  // Whether the armed fault was injected since FailAt.
  bool injected() const;
  // Operations counted since FailAt.
  int64_t operations() const;
};

}  // namespace strata::testing
