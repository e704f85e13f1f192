#include "schema/versioned.h"

namespace strata {

namespace {

template <typename T>
void Collect(const std::vector<Timeline<T>>& timelines, int tag, std::vector<T>& out) {
  for (const Timeline<T>& t : timelines)
    if (t.At(tag)) out.push_back(t.StateAt(tag));
}

}  // namespace

Schema VersionedSchema::At(int tag) const {
  Schema schema;
  for (const VersionedTable& vt : tables) {
    if (!vt.header.At(tag)) continue;
    Table table = vt.header.StateAt(tag);
    Collect(vt.columns, tag, table.columns);
    Collect(vt.uniques, tag, table.uniques);
    Collect(vt.foreign_keys, tag, table.foreign_keys);
    Collect(vt.checks, tag, table.checks);
    Collect(vt.indexes, tag, table.indexes);
    Collect(vt.triggers, tag, table.triggers);
    Collect(vt.data_checks, tag, table.data_checks);
    Collect(vt.data_fixes, tag, table.data_fixes);
    Collect(vt.rows, tag, table.rows);
    // SQLite enforces NOT NULL on the key of a WITHOUT ROWID table whether
    // or not it is declared; the model says what the database will hold.
    if (table.without_rowid)
      for (const std::string& key : table.PrimaryKeyColumns())
        for (Column& c : table.columns)
          if (c.name == key) c.nullable = false;
    schema.tables.push_back(std::move(table));
  }
  Collect(views, tag, schema.views);
  Collect(queries, tag, schema.queries);
  return schema;
}

}  // namespace strata
