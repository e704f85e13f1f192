#include "postgres/checks.h"

#include <algorithm>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"
#include "postgres/types.h"

namespace strata::postgres {

namespace {

// Numbers and booleans read the same bare; anything else is quoted, so that
// the text '12' and the number 12, or a key holding the separator, stay
// apart (as SQLite's quote() writes them).
bool ReadsBare(const Column* column) {
  if (!column) return false;
  const std::string type = AsciiLower(ColumnType(*column));
  for (std::string_view bare : {"bigint", "integer", "smallint", "int", "int2", "int4", "int8", "real", "double precision",
                                "float4", "float8", "boolean", "bool"})
    if (type == bare) return true;
  return type.starts_with("numeric") || type.starts_with("decimal") || type.starts_with("float");
}

// One row per orphaned key. NOT EXISTS correlated on the parent key is an
// anti-join the planner can hash (one scan of each table, whatever indexes
// exist); grouping after it touches only the orphans. Rows with a NULL in
// any key column are not orphans (MATCH SIMPLE, PostgreSQL's default).
std::string OrphanSql(const Table& child, const ForeignKey& fk, const Table& parent) {
  const std::vector<std::string> parent_cols = fk.ParentColumns(parent);
  std::vector<std::string> keys, not_null, matches, key_text;
  for (size_t i = 0; i < fk.columns.size() && i < parent_cols.size(); ++i) {
    const Column* c = child.FindColumn(fk.columns[i]);
    const Column* p = parent.FindColumn(parent_cols[i]);
    // Two text columns of different collations cannot be compared without
    // saying which one wins; the parent's is the one its key is unique in.
    const std::string child_collation = c ? c->collation : "";
    const std::string parent_collation = p ? p->collation : "";
    const std::string collate = EqualsIgnoreCase(child_collation, parent_collation) ? ""
                                : parent_collation.empty()                         ? " COLLATE \"default\""
                                                                                   : CollateClause(parent_collation);
    const std::string column = "child." + QuoteIdent(fk.columns[i]);
    const std::string k = "k" + std::to_string(i);
    keys.push_back(fmt::format("{}{} AS {}", column, collate, k));
    not_null.push_back(column + " IS NOT NULL");
    matches.push_back(fmt::format("parent.{} = {}{}", QuoteIdent(parent_cols[i]), column, collate));
    key_text.push_back(ReadsBare(c) ? k + "::text" : "quote_literal(" + k + ")");
  }
  std::vector<std::string> group_by;
  for (size_t i = 1; i <= keys.size(); ++i) group_by.push_back(std::to_string(i));
  return fmt::format(
      "SELECT {} AS key, n FROM (SELECT {}, count(*) AS n FROM {} AS child WHERE {} AND NOT EXISTS (SELECT 1 FROM {} AS "
      "parent WHERE {}) GROUP BY {}) AS orphans",
      fmt::join(key_text, " || '/' || "), fmt::join(keys, ", "), QuoteIdent(child.name), fmt::join(not_null, " AND "),
      QuoteIdent(parent.name), fmt::join(matches, " AND "), fmt::join(group_by, ", "));
}

// A declared check returns offending rows of any shape; each becomes the key
// "col=value, col=value" (as SQLite's samples read), identical rows counted
// together. row_to_json keeps the columns in order, duplicates included.
std::string DataSql(const DataCheck& c) {
  return fmt::format(
      "SELECT key, count(*) AS n FROM (SELECT (SELECT string_agg(f.key || '=' || coalesce(f.value, 'NULL'), ', ') FROM "
      "json_each_text(row_to_json(offending)) AS f) AS key FROM ({}) AS offending) AS found GROUP BY key",
      Trim(c.sql));
}

}  // namespace

IntegrityCheck HealthCheck() {
  return {IntegrityCheck::Kind::kData, "database_health", "(database)",
          "no INVALID index (a failed or unfinished CREATE INDEX CONCURRENTLY: unused by queries, enforcing nothing) "
          "and no NOT VALID constraint (rows older than it were never checked) in the current schema",
          "SELECT format('INVALID index %I on %I', ic.relname, tc.relname) AS key, 1 AS n FROM pg_index i "
          "JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class tc ON tc.oid = i.indrelid "
          "JOIN pg_namespace ns ON ns.oid = ic.relnamespace WHERE ns.nspname = current_schema() AND NOT i.indisvalid "
          "UNION ALL "
          "SELECT format('NOT VALID constraint %I on %I', con.conname, tc.relname), 1 FROM pg_constraint con "
          "JOIN pg_class tc ON tc.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = con.connamespace "
          "WHERE ns.nspname = current_schema() AND NOT con.convalidated",
          true};
}

std::vector<IntegrityCheck> BuildChecks(const Schema& schema) {
  std::vector<IntegrityCheck> out;
  for (const Table& t : schema.tables) {
    for (const ForeignKey& fk : t.foreign_keys) {
      const Table* parent = schema.FindTable(fk.ref_table);
      if (!parent) continue;
      const std::string cols = fmt::format("{}", fmt::join(fk.columns, ","));
      out.push_back({IntegrityCheck::Kind::kOrphans, fmt::format("orphans:{}.{}->{}", t.name, cols, parent->name), t.name,
                     fmt::format("rows of \"{}\" whose ({}) match no row of \"{}\"", t.name, cols, parent->name),
                     OrphanSql(t, fk, *parent), ChildColumnsLeadAnIndex(t, fk.columns)});
    }
    for (const DataCheck& c : t.data_checks)
      out.push_back({IntegrityCheck::Kind::kData, c.name, t.name, c.description, DataSql(c), true});
  }
  return out;
}

std::string RenderChecksFile(const std::vector<IntegrityCheck>& checks, std::string_view tag) {
  std::string out = fmt::format(
      "-- strata integrity checks for tag \"{}\" (PostgreSQL), generated by `strata generate` from schema/.\n"
      "-- Each query returns one row per offending key (key, n: the rows with that key); none when the data is healthy.\n"
      "-- Run them with `strata check --db URL`, or with `psql -f` (they only read).\n",
      tag);
  for (const IntegrityCheck& c : checks) {
    out += fmt::format("\n-- {}: {}\n", OneLine(c.name), OneLine(c.description));
    if (!c.child_indexed)
      out += "-- note: no index leads with the child columns; every delete of a parent row (and every change of its key) scans "
             "the table\n";
    if (c.kind == IntegrityCheck::Kind::kData)
      if (std::optional<std::string> f = SqliteOnlyConstruct(c.sql))
        out += fmt::format("-- note: \"{}\" is SQLite's own; PostgreSQL refuses this query\n", *f);
    out += c.sql + ";\n";
  }
  return out;
}

std::vector<CheckResult> RunChecks(PgSession& session, const std::vector<IntegrityCheck>& checks, int max_samples) {
  std::vector<CheckResult> results;
  const auto all_fail = [&](const std::string& why) {
    for (const IntegrityCheck& c : checks) results.push_back({c, 0, {}, why});
    return results;
  };
  if (session.in_transaction()) return all_fail("a transaction is already open on this session");
  // Read-only: a declared check is SQL from the YAML, and must not write
  // whatever it says. REPEATABLE READ: one snapshot for every check.
  if (Status s = session.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"); !s.ok()) return all_fail(s.message());
  // The total over all keys comes with the first few of them: the server
  // sums, the client receives at most `max_samples` rows (at least one, to
  // carry the total).
  const int limit = std::max(max_samples, 1);
  for (const IntegrityCheck& c : checks) {
    CheckResult r{c, 0, {}, {}};
    Status s = session.Exec("SAVEPOINT strata_check");
    Result<PgResult> rows = s.ok() ? session.Query(fmt::format(
                                         "SELECT key, sum(n) OVER () AS total FROM ({}) AS found ORDER BY key COLLATE \"C\" "
                                         "LIMIT {}",
                                         c.sql, limit))
                                   : Result<PgResult>(s);
    if (!rows.ok()) {
      r.error = rows.status().message();
      if (c.kind == IntegrityCheck::Kind::kData)
        if (std::optional<std::string> f = SqliteOnlyConstruct(c.sql))
          r.error += fmt::format(" (the check uses \"{}\", which is SQLite's own)", *f);
      // Back to before the check, so that the transaction goes on.
      if (Status back = session.Exec("ROLLBACK TO SAVEPOINT strata_check"); !back.ok()) {
        results.push_back(std::move(r));
        (void)session.Exec("ROLLBACK");
        for (size_t i = results.size(); i < checks.size(); ++i) results.push_back({checks[i], 0, {}, back.message()});
        return results;
      }
    } else {
      if (rows->rows() > 0) r.offending_rows = std::stoll(rows->Text(0, 1));
      for (int i = 0; i < rows->rows() && i < max_samples; ++i)
        r.samples.push_back(rows->IsNull(i, 0) ? "NULL" : rows->Text(i, 0));
      (void)session.Exec("RELEASE SAVEPOINT strata_check");
    }
    results.push_back(std::move(r));
  }
  (void)session.Exec("ROLLBACK");
  return results;
}

}  // namespace strata::postgres
