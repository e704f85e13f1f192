// What SQLite's pragmas do not report about a table, read from the CREATE
// TABLE text SQLite stores in sqlite_schema: CHECK constraints (of columns
// and of the table), column collations and ON CONFLICT clauses. The text is the user's, so the
// parser follows SQLite's lexical rules (four quoting styles, both comment
// styles, nested parentheses) rather than expecting strata's own layout.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "schema/table.h"

namespace strata::sqlite {

struct ParsedColumn {
  std::string name;
  std::string collation;  // upper case, "" when none is declared
  std::string check;      // the expression inside CHECK (...), "" for none
  std::string generated;  // the expression of GENERATED ALWAYS AS (...), "" for none
  // ON CONFLICT of the column's PRIMARY KEY, NOT NULL and UNIQUE (ABORT
  // when the constraint has no clause or is not there).
  ConflictResolution primary_key_on_conflict = ConflictResolution::kAbort;
  ConflictResolution not_null_on_conflict = ConflictResolution::kAbort;
  ConflictResolution unique_on_conflict = ConflictResolution::kAbort;
};

// A table-level PRIMARY KEY or UNIQUE constraint: its column names (without
// COLLATE or ASC/DESC) and its ON CONFLICT resolution.
struct ParsedKey {
  std::vector<std::string> columns;
  ConflictResolution on_conflict = ConflictResolution::kAbort;
};

// What pragma_foreign_key_list leaves out: whether the key is deferred.
struct ParsedForeignKey {
  std::vector<std::string> columns;
  std::string ref_table;
  bool deferred = false;  // DEFERRABLE INITIALLY DEFERRED
};

struct ParsedCheck {
  std::string name;  // CONSTRAINT name, "" for none
  std::string expr;
};

struct ParsedCreateTable {
  std::vector<ParsedColumn> columns;  // in declared order
  std::vector<ParsedCheck> checks;    // table-level CHECK constraints
  std::vector<ParsedForeignKey> foreign_keys;
  std::optional<ParsedKey> primary_key;  // a table-level PRIMARY KEY
  std::vector<ParsedKey> uniques;        // table-level UNIQUE constraints
};

// One key of CREATE INDEX ... (key, ...): a column name, or an expression
// (without its enclosing parentheses), with the collation and order written.
struct ParsedIndexTerm {
  std::string column;      // "" for an expression
  std::string expression;
  std::string collation;   // upper case, "" when none is written
  bool descending = false;
};
std::vector<ParsedIndexTerm> ParseIndexTerms(std::string_view create_index_sql);

// Returns an empty result for text that is not a CREATE TABLE with a
// column list (for example CREATE TABLE ... AS SELECT).
ParsedCreateTable ParseCreateTable(std::string_view sql);

// A canonical spelling of an SQL expression, for comparing expressions
// written by different hands: whitespace collapsed, keywords and plain
// identifiers lower case, quotes dropped from identifiers that need none.
// String literals are kept as they are.
std::string CanonicalSql(std::string_view sql);

}  // namespace strata::sqlite
