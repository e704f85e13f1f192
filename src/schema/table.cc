#include "schema/table.h"

#include "base/strings.h"

namespace strata {

std::string_view FkActionName(FkAction a) {
  switch (a) {
    case FkAction::kNoAction: return "NO ACTION";
    case FkAction::kRestrict: return "RESTRICT";
    case FkAction::kCascade: return "CASCADE";
    case FkAction::kSetNull: return "SET NULL";
    case FkAction::kSetDefault: return "SET DEFAULT";
  }
  return "NO ACTION";
}

std::string_view ConflictResolutionName(ConflictResolution r) {
  switch (r) {
    case ConflictResolution::kAbort: return "ABORT";
    case ConflictResolution::kRollback: return "ROLLBACK";
    case ConflictResolution::kFail: return "FAIL";
    case ConflictResolution::kIgnore: return "IGNORE";
    case ConflictResolution::kReplace: return "REPLACE";
  }
  return "ABORT";
}

const Value* ReferenceRow::Find(const std::string& column) const {
  for (const auto& [name, value] : values)
    if (EqualsIgnoreCase(name, column)) return &value;
  return nullptr;
}

const Column* Table::FindColumn(std::string_view column) const {
  for (const Column& c : columns)
    if (EqualsIgnoreCase(c.name, column)) return &c;
  return nullptr;
}

std::vector<std::string> ForeignKey::ParentColumns(const Table& parent) const {
  return ref_columns.empty() ? parent.PrimaryKeyColumns() : ref_columns;
}

std::vector<std::string> Table::PrimaryKeyColumns() const {
  if (!primary_key.empty()) return primary_key;
  std::vector<std::string> out;
  for (const Column& c : columns)
    if (c.primary_key) out.push_back(c.name);
  return out;
}

bool Table::HasConflictClause() const {
  constexpr ConflictResolution kAbort = ConflictResolution::kAbort;
  if (!primary_key.empty() && primary_key_on_conflict != kAbort) return true;
  for (const UniqueConstraint& u : uniques)
    if (u.on_conflict != kAbort) return true;
  for (const Column& c : columns)
    if ((c.primary_key && c.primary_key_on_conflict != kAbort) || (!c.nullable && c.not_null_on_conflict != kAbort) ||
        (c.unique && c.unique_on_conflict != kAbort))
      return true;
  return false;
}

const Table* Schema::FindTable(std::string_view name) const {
  for (const Table& t : tables)
    if (EqualsIgnoreCase(t.name, name)) return &t;
  return nullptr;
}

const std::string* Column::DialectType(std::string_view dialect) const {
  auto it = dialect_types.find(dialect);
  return it == dialect_types.end() ? nullptr : &it->second;
}

void ResolveDialectTypes(Column& column, std::string_view dialect) {
  if (const std::string* type = column.DialectType(dialect)) {
    column.type = *type;
    column.verbatim_type = true;
  }
  column.dialect_types.clear();
}

void ResolveDialectTypes(Table& table, std::string_view dialect) {
  for (Column& c : table.columns) ResolveDialectTypes(c, dialect);
}

Schema ResolveDialectTypes(Schema schema, std::string_view dialect) {
  for (Table& t : schema.tables) ResolveDialectTypes(t, dialect);
  return schema;
}

bool HasDialectTypes(const Schema& schema) {
  for (const Table& t : schema.tables)
    for (const Column& c : t.columns)
      if (!c.dialect_types.empty()) return true;
  return false;
}

}  // namespace strata
