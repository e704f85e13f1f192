// The live tables' columns, indexes and foreign keys as SQLite's pragmas
// report them: what `strata explain` compares its suggestions with.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/status.h"
#include "schema/table.h"
#include "sqlite/database.h"
#include "sqlite/inspect.h"

namespace strata::sqlite {

struct IndexPartInfo {
  std::string column;  // lower case; "" for an expression
  bool descending = false;
  std::string collation;  // upper case
};

struct IndexInfo {
  std::string name;
  std::string table;
  bool unique = false;
  std::string origin;  // "c" (CREATE INDEX), "u" (UNIQUE), "pk" (PRIMARY KEY)
  std::string where;   // canonical partial-index predicate, "" for none
  std::vector<IndexPartInfo> parts;
  bool has_expression = false;
  int64_t created = 0;  // sqlite_schema rowid: creation order
  std::vector<std::string> display_columns;
};

struct TableInfo {
  std::string name;
  std::vector<std::string> columns;  // declared order
  std::string rowid_alias;           // the INTEGER PRIMARY KEY column, lower case, "" for none
  std::vector<IndexInfo> indexes;
  std::vector<ForeignKey> foreign_keys;
};

// Reads table `name` of `db`; `index_texts` (ReadIndexTexts) supply each
// index's partial WHERE and creation order.
Result<TableInfo> ReadTable(Database& db, const std::string& name, const std::map<std::string, IndexText>& index_texts);

}  // namespace strata::sqlite
