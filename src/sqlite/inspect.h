// Reads a live SQLite database into the schema model through SQLite's own
// introspection: sqlite_schema, pragma_table_xinfo, pragma_index_list,
// pragma_index_xinfo and pragma_foreign_key_list; what the pragmas do not
// expose (CHECK constraints, column collations) comes from the stored
// CREATE TABLE text through the DDL parser.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "base/status.h"
#include "dialect/connection.h"
#include "schema/table.h"
#include "sqlite/database.h"

namespace strata::sqlite {

// Every table except SQLite's internal ones (sqlite_*) and `ignored` ones,
// in the order of sqlite_schema; with `only`, just the tables it names (in
// lower case), every view and every table the model cannot hold.
Result<Schema> InspectSchema(Database& db, const std::vector<std::string>& ignored = {},
                             const std::set<std::string>* only = nullptr);

// Every table's CREATE text with its indexes' and triggers' (SQLite
// parses nothing else into a table's schema) and the tables its foreign
// keys point at, by lower-case name: two passes over sqlite_schema.
Result<std::map<std::string, StoredTable>> ReadStoredTables(Database& db, const std::vector<std::string>& ignored);

// The model reduced to what InspectSchema can see (no descriptions,
// positions or data; SQL expressions in canonical spelling; a one-column
// UNIQUE constraint as a UNIQUE column; keys and indexes in a stable order),
// so that a declared schema and an inspected one compare equal when the
// database is what the schema says.
Table AsInspected(Table t);
Schema AsInspected(const Schema& s);

// Whether two SQL texts say the same by SQLite's lexical rules (case of
// keywords and plain names, whitespace, needless quotes); for
// DiffOptions::same_sql, so that view and trigger text is compared without
// being rewritten.
bool SameSql(std::string_view a, std::string_view b);

// The foreign keys of `table`, in declared order; the statement form runs
// a query PrepareForeignKeys made, for reading many tables.
Result<std::vector<ForeignKey>> ReadForeignKeys(Database& db, const std::string& table);
Result<Statement> PrepareForeignKeys(Database& db);
Result<std::vector<ForeignKey>> ReadForeignKeys(Statement& query, const std::string& table);

// The CREATE INDEX text and creation order (rowid) of every index, by name,
// read in one pass: sqlite_schema has no index on name, so a lookup per
// index would scan it each time.
struct IndexText {
  std::string sql;  // "" for an index SQLite made for a constraint
  int64_t created = 0;
};
Result<std::map<std::string, IndexText>> ReadIndexTexts(Database& db);

// The WHERE predicate of a partial index's CREATE INDEX text, "" for none.
std::string PartialIndexWhere(const std::string& create_index_sql);

// Parses a pragma dflt_value back into a default: literals become values,
// anything else is SQL.
DefaultValue ParseDefault(std::string_view text);

}  // namespace strata::sqlite
