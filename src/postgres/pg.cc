#include "postgres/pg.h"

#include <charconv>
#include <cstring>

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

// The server's error position counts characters from 1; the text is
// UTF-8, so a character starts at every byte that is not a continuation.
std::optional<size_t> ByteOffsetOfPosition(const std::string& sql, const char* position) {
  if (!position) return std::nullopt;
  size_t characters = 0;
  const auto [end, error] = std::from_chars(position, position + std::strlen(position), characters);
  if (error != std::errc() || characters == 0) return std::nullopt;
  for (size_t i = 0; i < sql.size(); ++i)
    if ((static_cast<unsigned char>(sql[i]) & 0xC0) != 0x80 && --characters == 0) return i;
  return std::nullopt;
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
    out.error_at = ByteOffsetOfPosition(sql, Pq().PQresultErrorField(raw, PG_DIAG_STATEMENT_POSITION));
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
