// The change vocabulary: what differs between two schema states, as values.
// Nothing here is SQL; a dialect decides how each change is carried out.
// The variants are closed on purpose: a new kind of change fails to compile
// in every dialect's std::visit until it is handled.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "schema/table.h"

namespace strata {

// What changed in a column, as bits.
enum ColumnAspect : unsigned {
  kColumnType = 1u << 0,
  kColumnNullable = 1u << 1,
  kColumnDefault = 1u << 2,
  kColumnPrimaryKey = 1u << 3,
  kColumnAutoincrement = 1u << 4,
  kColumnUnique = 1u << 5,
  kColumnCheck = 1u << 6,
  kColumnCollation = 1u << 7,
  kColumnGenerated = 1u << 8,  // became, stopped being, or changed as a generated column
  // The ON CONFLICT resolution of a PRIMARY KEY, NOT NULL or UNIQUE that the
  // column has on both sides (one added or dropped is its own aspect).
  kColumnOnConflict = 1u << 9,
};

struct AddColumn { Column column; };
struct DropColumn { Column column; };
struct RenameColumn { std::string from; std::string to; };
struct ModifyColumn {
  Column from;
  Column to;  // under its new name when also renamed
  unsigned aspects = 0;
};
struct AddIndex { Index index; };
struct DropIndex { Index index; };
struct AddUnique { UniqueConstraint unique; };
struct DropUnique { UniqueConstraint unique; };
struct AddForeignKey { ForeignKey foreign_key; };
struct DropForeignKey { ForeignKey foreign_key; };
struct AddCheck { CheckConstraint check; };
struct DropCheck { CheckConstraint check; };
// A table-level primary key that changed its columns or its ON CONFLICT clause.
struct ChangePrimaryKey {
  std::vector<std::string> from;
  std::vector<std::string> to;
  ConflictResolution from_on_conflict = ConflictResolution::kAbort;
  ConflictResolution to_on_conflict = ConflictResolution::kAbort;
};
// A table option switched on or off: "WITHOUT ROWID", "STRICT". What an
// option means, and whether it can change in place, is the dialect's.
struct TableOptionChange {
  std::string option;
  bool from = false;
  bool to = false;
};
struct ChangeTableOptions { std::vector<TableOptionChange> options; };
struct AddTrigger { Trigger trigger; };
struct DropTrigger { Trigger trigger; };
struct InsertRow { ReferenceRow row; };
struct UpdateRow { ReferenceRow from; ReferenceRow to; };
struct DeleteRow { ReferenceRow row; };

using TableChange =
    std::variant<AddColumn, DropColumn, RenameColumn, ModifyColumn, AddIndex, DropIndex, AddUnique,
                 DropUnique, AddForeignKey, DropForeignKey, AddCheck, DropCheck, ChangePrimaryKey,
                 ChangeTableOptions, AddTrigger, DropTrigger, InsertRow, UpdateRow, DeleteRow>;

struct AddTable { Table table; };
struct DropTable { Table table; };
struct RenameTable { std::string from; std::string to; };
// Changes inside one table that exists on both sides. `from` and `to` are
// the whole table before and after (under the new name when renamed).
struct ModifyTable {
  Table from;
  Table to;
  std::vector<TableChange> changes;
};

// A changed view is a drop and an add: SQLite has no ALTER VIEW.
struct AddView { View view; };
struct DropView { View view; };

using Change = std::variant<AddTable, DropTable, RenameTable, ModifyTable, AddView, DropView>;

// One constraint of a column whose ON CONFLICT resolution differs between
// two versions of the column that both declare it (kColumnOnConflict).
struct ConflictChange {
  std::string_view constraint;  // "PRIMARY KEY", "NOT NULL", "UNIQUE"
  ConflictResolution from;
  ConflictResolution to;
};
std::vector<ConflictChange> ConflictChanges(const Column& from, const Column& to);

// " ON CONFLICT REPLACE" after a key's columns, "" for ABORT.
std::string OnConflictSuffix(ConflictResolution r);

// The changes as `dialect` carries them out: every column in them becomes
// what that dialect builds (ResolveDialectTypes in schema/table.h), so a
// column whose type changed only in another dialect's override is no type
// change here, and a change left with nothing to do is gone. The dialect's
// planner reads column types directly, so it needs this before planning.
std::vector<Change> ResolveDialectTypes(std::vector<Change> changes, std::string_view dialect);

// A column's type for messages: "TEXT", or "TEXT (postgres: citext)" when it
// has overrides.
std::string DescribeType(const Column& column);

// A short human description: "add column \"users\".\"nickname\"".
std::string Describe(const Change& change);
std::string Describe(const std::string& table, const TableChange& change);

// What a Describe() text of a destructive change puts at risk: the table,
// and the column when only a column's values are ("drop column "t"."c""
// gives t and c; "drop table "t"" gives t). Nothing for other texts.
struct DescribedData {
  std::string table;
  std::string column;  // empty: every row of the table
};
std::optional<DescribedData> DataAtRisk(std::string_view description);

// True when carrying out the change can lose data that is in the database:
// dropping a table, a column or reference rows, narrowing a column type, or
// replacing a column's stored values with generated ones.
// Whether a type change narrows is the dialect's rule (DiffOptions::narrows,
// in diff/differ.h).
struct DiffOptions;
bool IsDestructive(const Change& change, const DiffOptions& rules);
bool IsDestructive(const TableChange& change, const DiffOptions& rules);

}  // namespace strata
