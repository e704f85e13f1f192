#include "sqlite/faulty_vfs.h"

#include <sqlite3.h>

#include <cstring>

namespace strata::testing {

namespace {

struct State {
  sqlite3_vfs* real = nullptr;
  sqlite3_vfs vfs{};
  sqlite3_io_methods methods{};
  int64_t fail_at = 0;
  int64_t count = 0;
  bool injected = false;
  bool persistent = true;
  int error = SQLITE_IOERR_WRITE;
};
State state;

// Our file: the real VFS's file object follows this header in memory.
struct FaultyFile {
  sqlite3_file base;
  sqlite3_file* real() { return reinterpret_cast<sqlite3_file*>(this + 1); }
};

FaultyFile* Cast(sqlite3_file* f) { return reinterpret_cast<FaultyFile*>(f); }

// True when this operation is the one to fail. A persistent fault fails
// every later operation too, as a dead disk would (the process then leaves
// a hot journal, like a crash); a transient one fails once.
bool Fails() {
  ++state.count;
  if (state.fail_at == 0) return false;
  if (state.count == state.fail_at || (state.persistent && state.count > state.fail_at)) {
    state.injected = true;
    return true;
  }
  return false;
}

int Close(sqlite3_file* f) { return Cast(f)->real()->pMethods->xClose(Cast(f)->real()); }
int Read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) {
  return Cast(f)->real()->pMethods->xRead(Cast(f)->real(), buf, n, off);
}
int Write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
  if (Fails()) return state.error;
  return Cast(f)->real()->pMethods->xWrite(Cast(f)->real(), buf, n, off);
}
int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  if (Fails()) return SQLITE_IOERR_TRUNCATE;
  return Cast(f)->real()->pMethods->xTruncate(Cast(f)->real(), size);
}
int Sync(sqlite3_file* f, int flags) {
  if (Fails()) return SQLITE_IOERR_FSYNC;
  return Cast(f)->real()->pMethods->xSync(Cast(f)->real(), flags);
}
int FileSize(sqlite3_file* f, sqlite3_int64* size) { return Cast(f)->real()->pMethods->xFileSize(Cast(f)->real(), size); }
int Lock(sqlite3_file* f, int level) {
  if (Fails()) return SQLITE_IOERR_LOCK;
  return Cast(f)->real()->pMethods->xLock(Cast(f)->real(), level);
}
int Unlock(sqlite3_file* f, int level) { return Cast(f)->real()->pMethods->xUnlock(Cast(f)->real(), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Cast(f)->real()->pMethods->xCheckReservedLock(Cast(f)->real(), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Cast(f)->real()->pMethods->xFileControl(Cast(f)->real(), op, arg);
}
int SectorSize(sqlite3_file* f) { return Cast(f)->real()->pMethods->xSectorSize(Cast(f)->real()); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Cast(f)->real()->pMethods->xDeviceCharacteristics(Cast(f)->real());
}

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* f, int flags, int* out_flags) {
  FaultyFile* file = Cast(f);
  std::memset(file, 0, sizeof(FaultyFile));
  const int rc = state.real->xOpen(state.real, name, file->real(), flags, out_flags);
  // Without shared memory methods SQLite keeps WAL mode off, which these
  // tests do not need; a file the real VFS failed to open has no methods.
  file->base.pMethods = file->real()->pMethods ? &state.methods : nullptr;
  return rc;
}
int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  if (Fails()) return SQLITE_IOERR_DELETE;
  return state.real->xDelete(state.real, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) { return state.real->xAccess(state.real, name, flags, out); }
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return state.real->xFullPathname(state.real, name, n, out);
}
int Randomness(sqlite3_vfs*, int n, char* out) { return state.real->xRandomness(state.real, n, out); }
int Sleep(sqlite3_vfs*, int us) { return state.real->xSleep(state.real, us); }
int CurrentTime(sqlite3_vfs*, double* t) { return state.real->xCurrentTime(state.real, t); }
int GetLastError(sqlite3_vfs*, int n, char* out) { return state.real->xGetLastError(state.real, n, out); }

}  // namespace

FaultyVfs::FaultyVfs() {
  sqlite3_initialize();
  state = State{};
  state.real = sqlite3_vfs_find(nullptr);
  state.methods = sqlite3_io_methods{1,    Close, Read, Write, Truncate, Sync, FileSize, Lock, Unlock,
                                     CheckReservedLock, FileControl, SectorSize, DeviceCharacteristics};
  sqlite3_vfs& v = state.vfs;
  v.iVersion = 1;
  v.szOsFile = static_cast<int>(sizeof(FaultyFile)) + state.real->szOsFile;
  v.mxPathname = state.real->mxPathname;
  v.zName = "strata-faulty";
  v.xOpen = Open;
  v.xDelete = Delete;
  v.xAccess = Access;
  v.xFullPathname = FullPathname;
  v.xDlOpen = nullptr;
  v.xRandomness = Randomness;
  v.xSleep = Sleep;
  v.xCurrentTime = CurrentTime;
  v.xGetLastError = GetLastError;
  sqlite3_vfs_register(&state.vfs, 1);
}

FaultyVfs::~FaultyVfs() {
  sqlite3_vfs_unregister(&state.vfs);
  sqlite3_vfs_register(state.real, 1);
}

void FaultyVfs::FailAt(int64_t operation, Fault fault, bool persistent) {
  state.fail_at = operation;
  state.persistent = persistent;
  state.count = 0;
  state.injected = false;
  state.error = fault == Fault::kDiskFull ? SQLITE_FULL : SQLITE_IOERR_WRITE;
}

bool FaultyVfs::injected() const { return state.injected; }
int64_t FaultyVfs::operations() const { return state.count; }

}  // namespace strata::testing
