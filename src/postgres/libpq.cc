#include "postgres/libpq.h"

#include <dlfcn.h>

#include <string>

#include <fmt/format.h>

namespace strata::postgres {

namespace {

struct Loaded {
  LibPq functions{};
  std::string error;  // empty when every function was found
};

template <typename F>
bool Resolve(void* library, const char* name, F& out, std::string& error) {
  out = reinterpret_cast<F>(dlsym(library, name));
  if (!out && error.empty()) error = fmt::format("libpq.so.5 has no {}", name);
  return out != nullptr;
}

Loaded Load() {
  Loaded loaded;
  // Never closed: sessions may live until exit.
  void* library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    const char* why = dlerror();
    loaded.error = fmt::format("cannot load libpq, the PostgreSQL client library (install the libpq5 package): {}",
                               why ? why : "unknown error");
    return loaded;
  }
  LibPq& f = loaded.functions;
  std::string& e = loaded.error;
  Resolve(library, "PQconnectdb", f.PQconnectdb, e);
  Resolve(library, "PQstatus", f.PQstatus, e);
  Resolve(library, "PQerrorMessage", f.PQerrorMessage, e);
  Resolve(library, "PQsetNoticeProcessor", f.PQsetNoticeProcessor, e);
  Resolve(library, "PQtransactionStatus", f.PQtransactionStatus, e);
  Resolve(library, "PQfinish", f.PQfinish, e);
  Resolve(library, "PQexec", f.PQexec, e);
  Resolve(library, "PQexecParams", f.PQexecParams, e);
  Resolve(library, "PQsendQuery", f.PQsendQuery, e);
  Resolve(library, "PQgetResult", f.PQgetResult, e);
  Resolve(library, "PQresultStatus", f.PQresultStatus, e);
  Resolve(library, "PQresultErrorField", f.PQresultErrorField, e);
  Resolve(library, "PQntuples", f.PQntuples, e);
  Resolve(library, "PQnfields", f.PQnfields, e);
  Resolve(library, "PQgetisnull", f.PQgetisnull, e);
  Resolve(library, "PQgetvalue", f.PQgetvalue, e);
  Resolve(library, "PQclear", f.PQclear, e);
  return loaded;
}

const Loaded& Library() {
  static const Loaded loaded = Load();  // thread-safe, once
  return loaded;
}

}  // namespace

Result<const LibPq*> LoadLibPq() {
  const Loaded& loaded = Library();
  if (!loaded.error.empty()) return Status::Error(StatusCode::kNotSupported, loaded.error);
  return &loaded.functions;
}

const LibPq& Pq() { return Library().functions; }

}  // namespace strata::postgres
