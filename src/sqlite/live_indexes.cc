#include "sqlite/live_indexes.h"

#include <algorithm>

#include "base/strings.h"
#include "sqlite/ddl_parser.h"

namespace strata::sqlite {

Result<TableInfo> ReadTable(Database& db, const std::string& name,
                            const std::map<std::string, IndexText>& index_texts) {
  TableInfo t;
  t.name = name;
  Result<Statement> cols = db.Prepare("SELECT name, type, pk FROM pragma_table_info(?1) ORDER BY cid");
  if (!cols.ok()) return cols.status();
  if (Status s = cols->Bind(1, name); !s.ok()) return s;
  std::vector<std::pair<std::string, std::string>> pk;
  for (;;) {
    Result<bool> row = cols->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    t.columns.push_back(cols->Text(0));
    if (cols->Int(2) > 0) pk.emplace_back(cols->Text(0), cols->Text(1));
  }
  Result<Statement> list = db.Prepare(
      "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1)");
  if (!list.ok()) return list.status();
  if (Status s = list->Bind(1, name); !s.ok()) return s;
  Result<Statement> info =
      db.Prepare("SELECT coalesce(name, ''), \"desc\", coalesce(coll, ''), cid FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno");
  if (!info.ok()) return info.status();
  bool pk_index = false;
  for (;;) {
    Result<bool> row = list->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    IndexInfo index;
    index.name = list->Text(0);
    index.table = name;
    index.unique = list->Int(1) != 0;
    index.origin = list->Text(2);
    if (auto text = index_texts.find(index.name); text != index_texts.end()) {
      if (list->Int(3) != 0) index.where = CanonicalSql(PartialIndexWhere(text->second.sql));
      index.created = text->second.created;
    }
    pk_index = pk_index || index.origin == "pk";
    if (Status s = info->Reset(index.name); !s.ok()) return s;
    for (;;) {
      Result<bool> part = info->Step();
      if (!part.ok()) return part.status();
      if (!*part) break;
      IndexPartInfo p{AsciiLower(info->Text(0)), info->Int(1) != 0, AsciiUpper(info->Text(2))};
      if (info->Int(3) < 0) {  // -1 the rowid, -2 an expression
        index.has_expression = index.has_expression || info->Int(3) == -2;
        p.column = info->Int(3) == -1 ? "rowid" : "";
      }
      index.display_columns.push_back(p.column.empty() ? "<expr>" : info->Text(0) + (p.descending ? " DESC" : ""));
      index.parts.push_back(std::move(p));
    }
    t.indexes.push_back(std::move(index));
  }
  std::sort(t.indexes.begin(), t.indexes.end(), [](const IndexInfo& a, const IndexInfo& b) { return a.created < b.created; });
  // A rowid table's INTEGER PRIMARY KEY is the rowid itself: no index in
  // the list, and every lookup by it is a key search.
  if (pk.size() == 1 && EqualsIgnoreCase(pk[0].second, "INTEGER") && !pk_index) t.rowid_alias = AsciiLower(pk[0].first);

  Result<std::vector<ForeignKey>> fks = ReadForeignKeys(db, name);
  if (!fks.ok()) return fks.status();
  t.foreign_keys = std::move(fks.value());
  return t;
}

}  // namespace strata::sqlite
