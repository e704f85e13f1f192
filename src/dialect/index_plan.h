// Index plans, whatever the dialect: each declared query's plan as steps
// with what they mean, the indexes that are missing and those that are
// redundant. A dialect's Connection::Explain fills these; report/ renders
// them.
#pragma once

#include <cstdint>
#include <functional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "schema/table.h"

namespace strata {

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
  std::string detail;  // the engine's own text, verbatim
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
  std::string name;  // the suggested index's, set with create_sql
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
  // How a `verified` suggestion was checked, printed after it ("checked
  // with SQLite on a copy of the schema").
  std::string verification;
  // What a reader must know to trust the plans at all, one sentence each
  // (PostgreSQL: tables that were never analyzed). Usually none.
  std::vector<std::string> notes;

  // A declared query scans a table the schema marks as large, or could not
  // run at all.
  bool failed() const;
};

// The columns of one table a query compares or sorts by, as a dialect reads
// them from the query or its plan: what candidate indexes are made of.
struct QueryTerms {
  std::vector<std::string> equality;  // compared with a value, in order of appearance
  std::vector<std::string> join;      // compared with another table's column
  std::vector<std::string> range;
  std::vector<std::string> order_by;  // empty unless every sort key is a column of the table
};

// Candidate index keys for `t`, best first: equality columns, then one
// range column (an index serves a single range, after its equalities) or
// else the sort columns, so that the rows come out sorted. Terms against a
// value come before join terms: a join may be served from the other side.
std::vector<std::vector<std::string>> CandidateIndexKeys(const QueryTerms& t);

// The name of a suggested index: "idx_<table>_<columns>", numbered past the
// names in `taken` (lower case). Kept within 63 bytes, PostgreSQL's limit,
// whatever the engine: a suggestion goes into the YAML every dialect of
// the project builds, and a longer name would come back cut on PostgreSQL.
std::string SuggestedIndexName(const std::string& table, const std::vector<std::string>& columns,
                               const std::set<std::string>& taken);

// How one declared query's plan changed between two schema states
// (`strata explain --base`).
struct PlanChange {
  std::string query;
  std::string before;  // QueryPlan::Classification at the base, "" when the query is new there
  std::string after;
  // What got worse, one entry each: "content: search via idx_content_user_id
  // became full scan", "new temp b-tree for ORDER BY", "no longer runs: ...".
  std::vector<std::string> worse;
  std::vector<std::string> better;  // the same, for what improved
  // The query reads a table the schema marks as large: a regression fails.
  bool large = false;
  bool regressed() const { return !worse.empty(); }
};

// Every query of `after` beside its plan in `before` (matched by name);
// `schema` says which tables are large. A query `before` could not plan is
// new, not a regression.
std::vector<PlanChange> ComparePlans(const ExplainReport& before, const ExplainReport& after, const Schema& schema);

// A regression on a query that reads a large table.
bool AnyLargeRegression(const std::vector<PlanChange>& changes);

// One index of a table as the redundancy rule sees it, whatever the
// dialect: the constraints' own indexes (PRIMARY KEY, UNIQUE) included.
struct IndexShape {
  enum class Origin { kIndex, kPrimaryKey, kUnique };
  struct Key {
    std::string column;  // "" for an expression
    bool descending = false;
    std::string collation;  // the effective one, spelled the same way for every index
    std::string opclass;    // "" for the default operator class
  };
  std::string name;
  Origin origin = Origin::kIndex;
  bool unique = false;
  std::string where;  // canonical partial-index predicate, "" for none
  std::vector<Key> keys;
  bool has_expression = false;
  std::string method;  // access method, "" for the dialect's default
  // An index a constraint depends on (besides its own PRIMARY KEY or
  // UNIQUE, for example the unique index a foreign key references): it
  // may make others redundant but is never offered for dropping.
  bool backs_constraint = false;
  int64_t created = 0;  // creation order: of two identical indexes the later one goes
  std::vector<std::string> display_columns;  // "user_id", "created_at DESC", "<expr>"
};

// The indexes of one table that another index of it makes redundant: `a`
// serves no lookup that `b` does not when a's keys are a left prefix of
// b's, with the same direction, collation and operator class, under the
// same WHERE, by the same method; an index with an expression is never
// compared; a UNIQUE `a` only gives way to a UNIQUE `b` on the same
// columns, because a longer unique index does not enforce the shorter
// one's uniqueness. Only plain indexes (Origin::kIndex, not backing a
// constraint) are reported, in the order of `indexes`, each with the best
// index that stays; `drop_sql` spells the statement that drops one.
std::vector<RedundantIndex> FindRedundantIndexes(const std::string& table, const std::vector<IndexShape>& indexes,
                                                 const std::function<std::string(const IndexShape&)>& drop_sql);

}  // namespace strata
