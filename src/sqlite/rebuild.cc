#include "sqlite/rebuild.h"

#include <algorithm>

#include <fmt/format.h>

#include "base/strings.h"
#include "plan/sql_layout.h"
#include "sqlite/sql_writer.h"

namespace strata::sqlite {

std::string RebuildTempName(const std::string& table) { return table + "__strata_new"; }

Check ForeignKeysHold(const std::string& table, const std::string& why) {
  return {fmt::format("foreign keys of \"{}\" hold {}", table, why),
          fmt::format("SELECT \"table\" || ' rowid ' || quote(rowid) || ' -> ' || parent AS k FROM "
                      "pragma_foreign_key_check({})",
                      QuoteString(table))};
}

namespace {

bool HasIntegerPrimaryKey(const Table& t) {
  if (t.without_rowid) return false;
  std::vector<std::string> pk = t.PrimaryKeyColumns();
  if (pk.size() != 1) return false;
  const Column* c = t.FindColumn(pk[0]);
  return c && AsciiUpper(c->type) == "INTEGER";
}

bool HasAutoincrement(const Table& t) {
  for (const Column& c : t.columns)
    if (c.autoincrement) return true;
  return false;
}

bool ParentKeyMayChange(const Table& from, const Table& to, const ForeignKey& fk) {
  std::vector<std::string> key = fk.ParentColumns(to);
  if (fk.ref_columns.empty() && from.PrimaryKeyColumns() != key) return true;
  for (const std::string& k : key) {
    const Column* before = from.FindColumn(k);
    const Column* after = to.FindColumn(k);
    if (!before || !after || !EqualsIgnoreCase(before->type, after->type) ||
        !EqualsIgnoreCase(before->collation, after->collation))
      return true;
  }
  return false;
}

}  // namespace

void PlanTableRebuild(const Table& from, const std::string& name_before, const Table& to, const Schema& to_schema,
                      const std::string& reason, int64_t row_delta, Plan& plan) {
  const std::string name = QuoteIdentifier(to.name);
  const std::string temp = QuoteIdentifier(RebuildTempName(to.name));
  const std::string rows_key = QuoteString("rows:" + to.name);
  const std::string seq_key = QuoteString("seq:" + to.name);

  // Copy the columns both definitions have; new ones take their defaults,
  // generated ones are computed by the new table.
  std::vector<std::string> columns;
  for (const Column& c : to.columns)
    if (from.FindColumn(c.name) && !c.generated) columns.push_back(QuoteIdentifier(c.name));
  // What the copy leaves behind is lost with the old table.
  std::vector<std::string> discarded;
  for (const Column& c : from.columns) {
    const Column* kept = to.FindColumn(c.name);
    if (!c.generated && (!kept || kept->generated)) discarded.push_back(c.name);
  }
  // Rowids are data too (FTS tables and external references key on them);
  // an INTEGER PRIMARY KEY is the rowid and is copied as a column.
  const bool copy_rowid = !from.without_rowid && !to.without_rowid && !HasIntegerPrimaryKey(to);
  std::string column_list;
  for (const std::string& c : columns) column_list += (column_list.empty() ? "" : ", ") + c;
  if (copy_rowid) column_list = column_list.empty() ? "rowid" : "rowid, " + column_list;

  plan.snapshots.push_back(fmt::format(
      "INSERT INTO temp.strata_snapshot (name, value) SELECT {}, count(*) FROM {}", rows_key,
      QuoteIdentifier(name_before)));
  const bool keep_sequence = HasAutoincrement(from) && HasAutoincrement(to);
  if (keep_sequence)
    plan.snapshots.push_back(fmt::format(
        "INSERT INTO temp.strata_snapshot (name, value) SELECT {}, seq FROM sqlite_sequence WHERE name = {}",
        seq_key, QuoteString(name_before)));

  Step step;
  step.comment = "rebuild \"" + to.name + "\": " + reason;
  if (!discarded.empty()) {
    step.comment += "; the values of " + JoinQuoted(discarded) + " are not copied and are lost";
    step.destructive = true;
  }
  step.sql.push_back(CreateTableSql(to, RebuildTempName(to.name)));
  step.sql.push_back(WrapSql(fmt::format("{} INTO {} ({}) SELECT {} FROM {}", WriteVerb(to, "INSERT"), temp,
                                         column_list, column_list, name)));
  // Views that name the table keep naming it: with legacy_alter_table off,
  // the RENAME would first re-check every view and fail on the table the
  // DROP just removed (doc section 7, step 9).
  step.sql.push_back("PRAGMA legacy_alter_table = ON");
  step.sql.push_back("DROP TABLE " + name);
  step.sql.push_back(fmt::format("ALTER TABLE {} RENAME TO {}", temp, name));
  step.sql.push_back("PRAGMA legacy_alter_table = OFF");
  if (keep_sequence) {
    // DROP TABLE removed the counter; without it, deleted ids would be reused.
    const std::string saved = fmt::format("(SELECT value FROM temp.strata_snapshot WHERE name = {})", seq_key);
    step.sql.push_back(WrapSql(fmt::format("UPDATE sqlite_sequence SET seq = {0} WHERE name = {1} AND seq < {0}",
                                           saved, QuoteString(to.name))));
    step.sql.push_back(WrapSql(fmt::format(
        "INSERT INTO sqlite_sequence (name, seq) SELECT {0}, value FROM temp.strata_snapshot WHERE name = "
        "{1} AND NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = {0})",
        QuoteString(to.name), seq_key)));
  }
  for (const Index& index : to.indexes) step.sql.push_back(CreateIndexSql(to, index));
  plan.steps.push_back(std::move(step));

  plan.postchecks.push_back(
      {fmt::format("rebuild of \"{}\" kept every row", to.name),
       fmt::format("SELECT c.n || ' rows; expected: ' || (s.value + {0}) AS k FROM "
                   "temp.strata_snapshot AS s, (SELECT count(*) AS n FROM {1}) AS c WHERE s.name = {2} "
                   "AND c.n <> s.value + {0}",
                   row_delta, name, rows_key)});
  // Only what the copy can break is checked, since a check of every key of
  // a large table costs as much as the copy: the rebuilt table's own keys
  // when a key column changes type or collation (a new key was checked on
  // the old rows by its precheck; an unchanged one copied row for row cannot
  // break), and the tables whose keys point at it when the columns they
  // point at may have changed.
  std::vector<std::string> checked;
  for (const ForeignKey& fk : to.foreign_keys) {
    bool may_break = EqualsIgnoreCase(fk.ref_table, to.name) && ParentKeyMayChange(from, to, fk);
    for (const std::string& column : fk.columns) {
      const Column* before = from.FindColumn(column);
      const Column* after = to.FindColumn(column);
      may_break = may_break || !before || !after || !EqualsIgnoreCase(before->type, after->type) ||
                  !EqualsIgnoreCase(before->collation, after->collation);
    }
    if (may_break && checked.empty()) checked.push_back(to.name);
  }
  for (const Table& t : to_schema.tables)
    for (const ForeignKey& fk : t.foreign_keys)
      if (EqualsIgnoreCase(fk.ref_table, to.name) && !EqualsIgnoreCase(t.name, to.name) &&
          ParentKeyMayChange(from, to, fk) &&
          std::find(checked.begin(), checked.end(), t.name) == checked.end())
        checked.push_back(t.name);
  for (const std::string& t : checked)
    plan.postchecks.push_back(ForeignKeysHold(t, fmt::format("after the rebuild of \"{}\"", to.name)));
}

}  // namespace strata::sqlite
