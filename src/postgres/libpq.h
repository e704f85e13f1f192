// libpq, loaded the first time a PostgreSQL target is opened. libpq brings
// twenty shared libraries with it (TLS, Kerberos, LDAP); loading them at
// every start cost each SQLite command more than the work it came for (a
// `status` of 1,000 migrations spent a third of its time in the dynamic
// linker). The functions keep libpq's names and signatures.
#pragma once

#include <libpq-fe.h>

#include "base/status.h"

namespace strata::postgres {

struct LibPq {
  decltype(&::PQconnectdb) PQconnectdb;
  decltype(&::PQstatus) PQstatus;
  decltype(&::PQerrorMessage) PQerrorMessage;
  decltype(&::PQsetNoticeProcessor) PQsetNoticeProcessor;
  decltype(&::PQtransactionStatus) PQtransactionStatus;
  decltype(&::PQfinish) PQfinish;
  decltype(&::PQexec) PQexec;
  decltype(&::PQexecParams) PQexecParams;
  decltype(&::PQsendQuery) PQsendQuery;
  decltype(&::PQgetResult) PQgetResult;
  decltype(&::PQresultStatus) PQresultStatus;
  decltype(&::PQresultErrorField) PQresultErrorField;
  decltype(&::PQntuples) PQntuples;
  decltype(&::PQnfields) PQnfields;
  decltype(&::PQgetisnull) PQgetisnull;
  decltype(&::PQgetvalue) PQgetvalue;
  decltype(&::PQclear) PQclear;
};

// libpq's functions; loaded once, on the first call, from the libpq.so.5
// that libpq5 installs. Fails when it is missing or lacks a function.
Result<const LibPq*> LoadLibPq();

// REQUIRES: LoadLibPq() succeeded (every PgSession exists because it did).
const LibPq& Pq();

}  // namespace strata::postgres
