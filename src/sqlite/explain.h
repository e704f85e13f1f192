// Index plans for SQLite: each declared query's EXPLAIN QUERY PLAN,
// classified; the indexes that are missing (a query that scans a table, a
// foreign key whose child columns lead no index), each with the CREATE
// INDEX that fixes it, tried out first on an in-memory copy of the schema;
// and the indexes that are redundant because another index (possibly the
// one SQLite creates for a PRIMARY KEY or UNIQUE constraint) already
// serves every lookup they serve.
//
// The live database is only read: every experiment runs on an in-memory
// database that holds the same tables, indexes, views and statistics but
// no rows, so the file is byte-identical afterwards.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"
#include "schema/table.h"
#include "sqlite/database.h"

namespace strata::sqlite {

// One row of EXPLAIN QUERY PLAN, with what it means.
struct PlanStep {
  enum class Kind {
    kScan,            // SCAN t: every row of the table
    kIndexScan,       // SCAN t USING [COVERING] INDEX i: every entry, in index order
    kSearch,          // SEARCH t USING INDEX i (...): a lookup, then the table row
    kCoveringSearch,  // SEARCH t USING COVERING INDEX i (...): the index alone answers
    kKeySearch,       // SEARCH t USING INTEGER PRIMARY KEY / PRIMARY KEY (...)
    kAutomaticIndex,  // SEARCH t USING AUTOMATIC ... INDEX: built by scanning t on every run
    kTempBTree,       // USE TEMP B-TREE FOR ORDER BY / GROUP BY / DISTINCT
    kOther,           // structure: subqueries, compound queries, MULTI-INDEX OR, ...
  };
  int id = 0;
  int parent = 0;
  std::string detail;  // SQLite's text, verbatim
  Kind kind = Kind::kOther;
  std::string table;   // the table read ("" when not a table of the database)
  std::string index;   // the index used, "" for none
  std::string temp_for;  // kTempBTree: "ORDER BY", "GROUP BY", "DISTINCT", ...
};

// "full scan", "index scan", "search", "covering index", "key search",
// "automatic index", "temp b-tree", "other".
std::string_view PlanStepKindName(PlanStep::Kind kind);

struct QueryPlan {
  std::string name;
  std::string sql;
  std::vector<PlanStep> steps;
  std::string error;  // the query could not be prepared on this database
  // Large tables (per the schema) this query reads in full: a plain scan,
  // an automatic index, or an index scan with no LIMIT to stop it early.
  std::vector<std::string> large_tables_scanned;

  // A short summary: the access of each table, then any temp b-trees, e.g.
  // "search users via idx_users_status; temp b-tree for ORDER BY".
  std::string Classification() const;
  bool ok() const { return error.empty() && large_tables_scanned.empty(); }
};

struct MissingIndex {
  std::string table;
  bool large = false;  // the schema marks the table as large
  // Why, one entry per query or foreign key the index serves:
  // "query unread_notifications reads every row",
  // "foreign key (user_id) -> users(id) has no index".
  std::vector<std::string> reasons;
  bool query_scan = false;  // one of the reasons is a declared query
  // The suggested index; empty when no index on one table removes the scan
  // (for example a query with no filter on that table).
  std::vector<std::string> columns;
  std::string create_sql;  // "CREATE INDEX ...;" or ""
  // The suggestion was created on the in-memory copy and SQLite then
  // stopped reading the whole table for every query reason, and searched
  // it by the child columns for every foreign key reason.
  bool verified = false;
};

struct RedundantIndex {
  std::string table;
  std::string index;
  std::string index_columns;  // "(user_id, month_year)"
  std::string covered_by;     // the index that makes it redundant
  std::string covered_by_columns;
  // What `covered_by` is: "index", "PRIMARY KEY", "UNIQUE constraint" or
  // "INTEGER PRIMARY KEY (rowid)".
  std::string covered_by_origin;
  bool same = false;  // the same columns, rather than a left prefix
  std::string drop_sql;
};

struct ExplainReport {
  std::vector<QueryPlan> queries;
  std::vector<MissingIndex> missing;
  std::vector<RedundantIndex> redundant;

  // A declared query scans a table the schema marks as large, or could not
  // run at all.
  bool failed() const;
};

// Explains every query of `schema` on `db` and looks for missing and
// redundant indexes among the live tables. `schema` supplies the queries
// and which tables are large; the indexes are read from `db` itself. `db`
// is only read. Fails only when the database cannot be read; a query that
// does not prepare is reported in its QueryPlan.
Result<ExplainReport> Explain(Database& db, const Schema& schema);

// EXPLAIN QUERY PLAN of one statement, classified. `tables` are the names
// a plan row may refer to; aliases in `sql` are resolved to them.
Result<std::vector<PlanStep>> ExplainQueryPlan(Database& db, const std::string& sql,
                                               const std::vector<std::string>& tables);

// The report as text for a person and as JSON, from the same values.
std::string RenderExplainText(const ExplainReport& report);
std::string RenderExplainJson(const ExplainReport& report, std::string_view tag);

}  // namespace strata::sqlite
