// RAII handles over libpq: a server session (PGconn) and a query result
// (PGresult), each owned by a unique_ptr with libpq's own deleter. Errors
// come back as a Status carrying the server's message and SQLSTATE; the
// connection target is shown with any password redacted.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "postgres/libpq.h"

namespace strata::postgres {

// A quoted identifier ("name", doubled inner quotes) and a string literal
// ('it''s', E'' never needed because standard_conforming_strings is on).
std::string QuoteIdent(std::string_view name);
std::string QuoteLiteral(std::string_view text);

class PgResult {
 public:
  PgResult() = default;
  explicit PgResult(PGresult* r) : result_(r) {}
  int rows() const { return result_ ? Pq().PQntuples(result_.get()) : 0; }
  int columns() const { return result_ ? Pq().PQnfields(result_.get()) : 0; }
  bool IsNull(int row, int column) const { return Pq().PQgetisnull(result_.get(), row, column) != 0; }
  std::string Text(int row, int column) const { return Pq().PQgetvalue(result_.get(), row, column); }
  const PGresult* get() const { return result_.get(); }

 private:
  struct Deleter {
    void operator()(PGresult* r) const { Pq().PQclear(r); }
  };
  std::unique_ptr<PGresult, Deleter> result_;
};

class PgSession {
 public:
  // Connects with PQconnectdb(target) unchanged, so libpq's PG* variables
  // and .pgpass apply. Fails with the redacted target in the message.
  static Result<PgSession> Connect(const std::string& target);

  PgSession(PgSession&&) = default;
  PgSession& operator=(PgSession&&) = default;

  // Runs one statement (or a simple-query string); on failure the Status
  // holds the server's message and "(SQLSTATE xxxxx)".
  Result<PgResult> Query(const std::string& sql);
  Status Exec(const std::string& sql);
  // The first column of the first row, or "" when there is no row.
  Result<std::string> QueryString(const std::string& sql);

  // How a batch went: `completed` statements succeeded before `status`
  // (the first failure, which ended the batch) or all of them did.
  struct BatchOutcome {
    Status status;
    int completed = 0;
    // Where in `sql` the server placed the error (a byte offset), when it
    // said. A syntax error anywhere fails the whole message before any
    // statement runs, so only this tells which statement it was.
    std::optional<size_t> error_at;
  };
  // Sends `sql`, statements separated by ';', as one simple-query message:
  // one round trip for all of them. The server stops at the first failure;
  // the statements before an explicit COMMIT in `sql` stay committed, those
  // in an implicit or open transaction are not.
  BatchOutcome ExecBatch(const std::string& sql);

  // The target as given, password redacted, for messages.
  const std::string& redacted_target() const { return redacted_; }
  bool in_transaction() const;
  PGconn* handle() { return conn_.get(); }

 private:
  struct Deleter {
    void operator()(PGconn* c) const { Pq().PQfinish(c); }
  };
  PgSession(PGconn* c, std::string redacted) : conn_(c), redacted_(std::move(redacted)) {}
  std::unique_ptr<PGconn, Deleter> conn_;
  std::string redacted_;
};

}  // namespace strata::postgres
