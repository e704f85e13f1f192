// The schema model: plain data describing tables at one point in time.
// It knows nothing about YAML, SQL text or databases. Elements carry the
// SourcePos they were declared at (empty when inspected from a database),
// so that validation, lint and plans can point at the YAML line.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/source_pos.h"
#include "schema/value.h"

namespace strata {

// A generated column: computed from `expr` on read (VIRTUAL) or on write
// (STORED). Its values are never copied; the database computes them.
struct Generated {
  std::string expr;
  bool stored = false;
  friend bool operator==(const Generated&, const Generated&) = default;
};

// How a PRIMARY KEY, NOT NULL or UNIQUE constraint resolves a row that
// violates it (SQLite's ON CONFLICT clause): ROLLBACK ends the transaction,
// ABORT undoes the statement, FAIL stops it keeping what it did, IGNORE
// skips the row, REPLACE deletes the rows in the way (or, for NOT NULL,
// writes the column's default). ABORT is what a constraint without a clause
// does, so the model has one value for both.
enum class ConflictResolution { kAbort, kRollback, kFail, kIgnore, kReplace };
std::string_view ConflictResolutionName(ConflictResolution r);  // "ABORT", "REPLACE", ...

struct Column {
  std::string name;
  // The declared type. A known type is canonical upper case ("TEXT",
  // "DECIMAL(5,2)"); a verbatim one is kept exactly as the database or
  // `sql_type` spells it ("BLOB SUB_TYPE TEXT"), with SQLite's affinity rules.
  std::string type;
  bool verbatim_type = false;
  // Per-dialect overrides (`dialect_types`): dialect name ("postgres") ->
  // SQL type text that dialect's migrations use instead of `type`, as
  // written. The model only keeps them; each dialect reads its own entry
  // and ignores the others' (ResolveDialectTypes).
  std::map<std::string, std::string, std::less<>> dialect_types;
  bool nullable = true;
  std::optional<DefaultValue> default_value;
  bool primary_key = false;    // column-level PRIMARY KEY
  bool autoincrement = false;  // only with an INTEGER primary key
  bool unique = false;         // column-level UNIQUE
  // The resolutions of the column's own constraints; each means something
  // only while its constraint is declared (primary_key, !nullable, unique).
  ConflictResolution primary_key_on_conflict = ConflictResolution::kAbort;
  ConflictResolution not_null_on_conflict = ConflictResolution::kAbort;
  ConflictResolution unique_on_conflict = ConflictResolution::kAbort;
  std::string check;           // column CHECK expression (SQL), "" for none
  std::string collation;       // "" means the default (BINARY)
  std::optional<Generated> generated;
  std::string description;
  std::string renamed_from;  // set in the state of the tag that renames it
  SourcePos pos;

  // The override for `dialect`, or null when that dialect uses `type`.
  const std::string* DialectType(std::string_view dialect) const;

  friend bool operator==(const Column&, const Column&) = default;
};

// One key of an index: a column, or an expression (then `column` is empty).
struct IndexPart {
  std::string column;
  std::string expression;  // "lower(email)", without enclosing parentheses
  bool descending = false;
  std::string collation;
  friend bool operator==(const IndexPart&, const IndexPart&) = default;
};

struct Index {
  std::string name;
  std::vector<IndexPart> parts;
  bool unique = false;
  std::string where;  // partial index predicate (SQL), "" for none
  std::string description;
  std::string renamed_from;
  SourcePos pos;
  friend bool operator==(const Index&, const Index&) = default;
};

struct UniqueConstraint {
  std::vector<std::string> columns;
  ConflictResolution on_conflict = ConflictResolution::kAbort;
  SourcePos pos;
  friend bool operator==(const UniqueConstraint&, const UniqueConstraint&) = default;
};

enum class FkAction { kNoAction, kRestrict, kCascade, kSetNull, kSetDefault };
std::string_view FkActionName(FkAction a);  // "NO ACTION", "CASCADE", ...

struct Table;

struct ForeignKey {
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;  // empty: the parent's primary key
  FkAction on_delete = FkAction::kNoAction;
  FkAction on_update = FkAction::kNoAction;
  // DEFERRABLE INITIALLY DEFERRED: checked at COMMIT rather than per statement.
  bool deferred = false;
  SourcePos pos;

  // The columns of `parent` (the table it references) that it points at.
  std::vector<std::string> ParentColumns(const Table& parent) const;

  friend bool operator==(const ForeignKey&, const ForeignKey&) = default;
};

// A CHECK constraint of the table.
struct CheckConstraint {
  std::string name;  // may be empty
  std::string expr;
  SourcePos pos;
  friend bool operator==(const CheckConstraint&, const CheckConstraint&) = default;
};

// A named data rule: SQL that returns the offending rows, none when healthy.
struct DataCheck {
  std::string name;
  std::string description;
  std::string sql;
  SourcePos pos;
  friend bool operator==(const DataCheck&, const DataCheck&) = default;
};

// SQL that repairs data before the changes of one tag (for example merging
// duplicate rows before a UNIQUE constraint is added). It belongs to the
// state of that tag only.
struct DataFix {
  std::string name;
  std::string description;
  std::string sql;  // one or more statements
  SourcePos pos;
  friend bool operator==(const DataFix&, const DataFix&) = default;
};

// A trigger or a view: SQL the dialect runs as it is (the whole CREATE
// statement), kept by name. The model does not parse it; a dialect that
// rebuilds a table re-creates the table's triggers from here.
struct Trigger {
  std::string name;
  std::string sql;  // "CREATE TRIGGER ... END"
  std::string description;
  SourcePos pos;
  friend bool operator==(const Trigger&, const Trigger&) = default;
};

struct View {
  std::string name;
  std::string sql;  // "CREATE VIEW ... AS SELECT ..."
  std::vector<Trigger> triggers;  // INSTEAD OF triggers on the view
  std::string description;
  SourcePos pos;
  friend bool operator==(const View&, const View&) = default;
};

// Rows the schema owns (lookup data such as ChefSocial's feature list),
// identified by the `key` columns.
struct ReferenceRow {
  std::vector<std::pair<std::string, Value>> values;  // in declared order
  SourcePos pos;
  const Value* Find(const std::string& column) const;
  friend bool operator==(const ReferenceRow&, const ReferenceRow&) = default;
};

struct Table {
  std::string name;
  std::string description;
  std::vector<Column> columns;
  std::vector<std::string> primary_key;  // table-level (composite) PRIMARY KEY
  ConflictResolution primary_key_on_conflict = ConflictResolution::kAbort;  // of `primary_key`
  std::vector<UniqueConstraint> uniques;
  std::vector<ForeignKey> foreign_keys;
  std::vector<CheckConstraint> checks;
  std::vector<Index> indexes;
  std::vector<Trigger> triggers;
  std::vector<DataCheck> data_checks;
  std::vector<DataFix> data_fixes;  // those of this state's tag only
  std::vector<std::string> row_key;  // identifies reference rows
  std::vector<ReferenceRow> rows;
  bool without_rowid = false;
  bool strict = false;
  // Expected to hold many rows: a declared query that scans it fails the
  // index plan check (`strata explain`).
  bool large = false;
  std::string renamed_from;
  SourcePos pos;

  const Column* FindColumn(std::string_view name) const;  // case-insensitive, as SQL
  // The primary key columns, whether declared on a column or on the table.
  std::vector<std::string> PrimaryKeyColumns() const;
  // Whether a declared constraint resolves conflicts otherwise than ABORT.
  bool HasConflictClause() const;

  friend bool operator==(const Table&, const Table&) = default;
};

// A query the application runs often, for index plans and benchmarks.
struct Query {
  std::string name;
  std::string description;
  std::string sql;
  SourcePos pos;
  friend bool operator==(const Query&, const Query&) = default;
};

// An object a live database holds that the model cannot (a virtual table
// such as FTS5): inspection names it so that nothing is dropped silently.
struct UnmodelledObject {
  std::string name;
  std::string what;  // "virtual table (USING fts5)"
  friend bool operator==(const UnmodelledObject&, const UnmodelledObject&) = default;
};

// A constraint a live database holds without having checked the rows it
// held when the constraint was added (PostgreSQL's NOT VALID): the model
// has the constraint, and older rows may break it.
struct UncheckedConstraint {
  std::string table;
  std::string name;
  friend bool operator==(const UncheckedConstraint&, const UncheckedConstraint&) = default;
};

// The whole schema at one tag: what a database should look like.
struct Schema {
  std::vector<Table> tables;
  std::vector<View> views;  // in creation order: a view may read an earlier one
  std::vector<Query> queries;
  std::vector<UnmodelledObject> unmodelled;  // inspected databases only
  std::vector<UncheckedConstraint> unchecked;  // inspected databases only

  const Table* FindTable(std::string_view name) const;  // case-insensitive
  friend bool operator==(const Schema&, const Schema&) = default;
};

// The column, table or schema as `dialect` builds it: a column's override
// for that dialect becomes its type (verbatim, as written), and no column
// keeps any override, so that another dialect's override can never show as
// a difference. A dialect applies this where it compares or plans.
void ResolveDialectTypes(Column& column, std::string_view dialect);
void ResolveDialectTypes(Table& table, std::string_view dialect);
Schema ResolveDialectTypes(Schema schema, std::string_view dialect);
// Whether any column has a per-dialect override: without one, resolving
// changes nothing and a caller can skip the copy.
bool HasDialectTypes(const Schema& schema);

}  // namespace strata
