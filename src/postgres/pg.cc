#include "postgres/pg.h"

#include <fmt/format.h>

#include "base/strings.h"
#include "plan/sql_layout.h"

namespace strata::postgres {

std::string QuoteIdent(std::string_view name) { return QuoteName(name); }

std::string QuoteLiteral(std::string_view text) { return QuoteText(text); }

namespace {

std::string ErrorOf(const PGresult* r, PGconn* c) {
  std::string message = r ? Pq().PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) ? Pq().PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : ""
                          : "";
  if (message.empty()) message = std::string(Trim(Pq().PQerrorMessage(c)));
  if (r) {
    if (const char* detail = Pq().PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL)) message += fmt::format(" ({})", detail);
    if (const char* state = Pq().PQresultErrorField(r, PG_DIAG_SQLSTATE)) message += fmt::format(" (SQLSTATE {})", state);
  }
  return message;
}

}  // namespace

Result<PgSession> PgSession::Connect(const std::string& target) {
  if (Result<const LibPq*> libpq = LoadLibPq(); !libpq.ok()) return libpq.status();
  PGconn* raw = Pq().PQconnectdb(target.c_str());
  PgSession session(raw, RedactedTarget(target));
  if (!raw) return Status::Database(fmt::format("{}: out of memory", session.redacted_));
  if (Pq().PQstatus(raw) != CONNECTION_OK)
    return Status::Database(
        fmt::format("cannot connect to {}: {}", session.redacted_, OneLine(Trim(Pq().PQerrorMessage(raw)))));
  // Notices (RAISE NOTICE, "already exists, skipping") are not errors and
  // must not reach stderr behind the caller's back.
  Pq().PQsetNoticeProcessor(raw, [](void*, const char*) {}, nullptr);
  return session;
}

Result<PgResult> PgSession::Query(const std::string& sql) {
  PgResult result(Pq().PQexec(conn_.get(), sql.c_str()));
  const ExecStatusType status = result.get() ? Pq().PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) return result;
  return Status::Database(ErrorOf(result.get(), conn_.get()));
}

Status PgSession::Exec(const std::string& sql) {
  Result<PgResult> r = Query(sql);
  return r.ok() ? Status::Ok() : r.status();
}

PgSession::BatchOutcome PgSession::ExecBatch(const std::string& sql) {
  BatchOutcome out{Status::Ok(), 0};
  if (!Pq().PQsendQuery(conn_.get(), sql.c_str())) {
    out.status = Status::Database(ErrorOf(nullptr, conn_.get()));
    return out;
  }
  // One result per statement, then nullptr once the server is ready again.
  while (PGresult* raw = Pq().PQgetResult(conn_.get())) {
    const PgResult result(raw);
    if (!out.status.ok()) continue;
    const ExecStatusType status = Pq().PQresultStatus(raw);
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
      ++out.completed;
      continue;
    }
    // COPY would wait for data that never comes (callers refuse it first).
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
      out.status = Status::Database("COPY to or from the client is not supported");
      break;
    }
    out.status = Status::Database(ErrorOf(raw, conn_.get()));
  }
  return out;
}

Result<std::string> PgSession::QueryString(const std::string& sql) {
  Result<PgResult> r = Query(sql);
  if (!r.ok()) return r.status();
  if (r->rows() == 0 || r->columns() == 0 || r->IsNull(0, 0)) return std::string();
  return r->Text(0, 0);
}

bool PgSession::in_transaction() const { return Pq().PQtransactionStatus(conn_.get()) != PQTRANS_IDLE; }

}  // namespace strata::postgres
