#include "sqlite/explain.h"

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "base/json.h"
#include "base/strings.h"
#include "sqlite/ddl_parser.h"
#include "sqlite/inspect.h"
#include "sqlite/sql_lexer.h"
#include "sqlite/sql_writer.h"

namespace strata::sqlite {

namespace {

// ---------------------------------------------------------------------------
// Reading a declared query: enough to find table aliases, column terms,
// ORDER BY and LIMIT. SQLite itself does the real parsing; this only maps
// its plan rows back to names and guesses candidate indexes, and every
// guess is checked by SQLite before it is suggested.

using Token = SqlToken;

bool IsKeyword(const Token& t) {
  static const std::set<std::string> kWords = {
      "ALL",     "AND",   "AS",     "ASC",     "BETWEEN", "BY",      "CROSS",  "DESC",   "DISTINCT", "EXCEPT",
      "FROM",    "FULL",  "GROUP",  "HAVING",  "IN",      "INDEXED", "INNER",  "INTERSECT", "IS",   "JOIN",
      "LEFT",    "LIKE",  "LIMIT",  "NATURAL", "NOT",     "NULL",    "OFFSET", "ON",     "OR",       "ORDER",
      "OUTER",   "RIGHT", "SELECT", "SET",     "UNION",   "USING",   "VALUES", "WHERE",  "WINDOW",   "RETURNING",
      "GLOB",    "REGEXP", "MATCH", "ESCAPE",  "COLLATE", "CASE",    "WHEN",   "THEN",   "ELSE",     "END",
      "EXISTS",  "WITH",  "FILTER", "OVER"};
  return t.type == Token::kIdent && !t.quoted && kWords.count(t.upper) > 0;
}

bool Is(const std::vector<Token>& tokens, size_t i, std::string_view upper) {
  return i < tokens.size() && tokens[i].upper == upper && (tokens[i].type != Token::kIdent || !tokens[i].quoted);
}

// The clause each token belongs to: the last clause keyword before it at
// the same depth ("FROM", "WHERE", "ON", "ORDER", "GROUP", ...).
std::vector<std::string> Clauses(const std::vector<Token>& tokens) {
  static const std::set<std::string> kClauses = {"SELECT", "FROM",  "JOIN",   "ON",    "USING", "WHERE",  "GROUP",
                                                 "HAVING", "ORDER", "LIMIT",  "SET",   "VALUES", "UPDATE", "INTO",
                                                 "WINDOW", "RETURNING"};
  std::vector<std::string> out(tokens.size());
  std::vector<std::string> stack(1);
  for (size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    const size_t d = static_cast<size_t>(std::max(0, t.depth));
    if (stack.size() <= d) stack.resize(d + 1);
    if (t.type == Token::kIdent && !t.quoted && kClauses.count(t.upper)) stack[d] = t.upper;
    out[i] = stack[d];
    if (t.text == "(") {
      if (stack.size() <= d + 1) stack.resize(d + 2);
      stack[d + 1].clear();
    }
  }
  return out;
}

// Lower-case name or alias -> table name, for the tables of `known` that
// `tokens` reads.
std::map<std::string, std::string> AliasMap(const std::vector<Token>& tokens, const std::vector<std::string>& known) {
  std::map<std::string, std::string> out;
  const std::vector<std::string> clauses = Clauses(tokens);
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (tokens[i].type != Token::kIdent) continue;
    auto table = std::find_if(known.begin(), known.end(), [&](const std::string& k) { return EqualsIgnoreCase(k, tokens[i].text); });
    if (table == known.end()) continue;
    if (i + 1 < tokens.size() && tokens[i + 1].text == ".") continue;  // a qualifier, not a table reference
    size_t before = i;
    if (before >= 2 && tokens[before - 1].text == ".") before -= 2;  // main.users
    if (before == 0) continue;
    const Token& prev = tokens[before - 1];
    const bool reference = Is(tokens, before - 1, "FROM") || Is(tokens, before - 1, "JOIN") ||
                           Is(tokens, before - 1, "UPDATE") || Is(tokens, before - 1, "INTO") ||
                           (prev.text == "," && (clauses[before - 1] == "FROM" || clauses[before - 1] == "JOIN"));
    if (!reference) continue;
    out[AsciiLower(*table)] = *table;
    size_t a = i + 1;
    if (Is(tokens, a, "AS")) ++a;
    if (a < tokens.size() && tokens[a].type == Token::kIdent && !IsKeyword(tokens[a]))
      out[AsciiLower(tokens[a].text)] = *table;
  }
  return out;
}

bool HasTopLevelLimit(const std::vector<Token>& tokens) {
  for (const Token& t : tokens)
    if (t.depth == 0 && t.type == Token::kIdent && !t.quoted && t.upper == "LIMIT") return true;
  return false;
}

// ---------------------------------------------------------------------------
// Reading plans.

std::string AfterWord(const std::string& text, std::string_view word) {
  size_t at = text.find(word);
  if (at == std::string::npos) return {};
  std::string rest = text.substr(at + word.size());
  return rest.substr(0, rest.find(' '));
}

PlanStep ClassifyRow(int id, int parent, std::string detail, const std::map<std::string, std::string>& aliases) {
  PlanStep step;
  step.id = id;
  step.parent = parent;
  step.detail = std::move(detail);
  const std::string& d = step.detail;
  const auto resolve = [&](size_t from) {
    std::string name = d.substr(from, d.find(' ', from) - from);
    auto it = aliases.find(AsciiLower(name));
    return it == aliases.end() ? std::string() : it->second;
  };
  if (d.starts_with("USE TEMP B-TREE FOR ")) {
    step.kind = PlanStep::Kind::kTempBTree;
    step.temp_for = d.substr(20);
  } else if (d.starts_with("SCAN ")) {
    step.table = resolve(5);
    if (step.table.empty() || d.find(" VIRTUAL TABLE ") != std::string::npos) {
      step.kind = PlanStep::Kind::kOther;
    } else if (d.find(" USING COVERING INDEX ") != std::string::npos) {
      step.kind = PlanStep::Kind::kIndexScan;
      step.index = AfterWord(d, " USING COVERING INDEX ");
    } else if (d.find(" USING INDEX ") != std::string::npos) {
      step.kind = PlanStep::Kind::kIndexScan;
      step.index = AfterWord(d, " USING INDEX ");
    } else {
      step.kind = PlanStep::Kind::kScan;
    }
  } else if (d.starts_with("SEARCH ")) {
    step.table = resolve(7);
    if (step.table.empty()) {
      step.kind = PlanStep::Kind::kOther;
    } else if (d.find(" USING AUTOMATIC ") != std::string::npos) {
      step.kind = PlanStep::Kind::kAutomaticIndex;
    } else if (d.find(" USING COVERING INDEX ") != std::string::npos) {
      step.kind = PlanStep::Kind::kCoveringSearch;
      step.index = AfterWord(d, " USING COVERING INDEX ");
    } else if (d.find(" USING INDEX ") != std::string::npos) {
      step.kind = PlanStep::Kind::kSearch;
      step.index = AfterWord(d, " USING INDEX ");
    } else if (d.find(" USING INTEGER PRIMARY KEY ") != std::string::npos) {
      step.kind = PlanStep::Kind::kKeySearch;
      step.index = "INTEGER PRIMARY KEY";
    } else if (d.find(" USING PRIMARY KEY ") != std::string::npos) {
      step.kind = PlanStep::Kind::kKeySearch;
      step.index = "PRIMARY KEY";
    } else {
      step.kind = PlanStep::Kind::kOther;
    }
  }
  return step;
}

// Steps that read every row of their table: a scan, an automatic index
// (built from a scan on every run), or an index walked end to end with no
// LIMIT to stop it.
bool ReadsWholeTable(const PlanStep& s, bool limited) {
  return s.kind == PlanStep::Kind::kScan || s.kind == PlanStep::Kind::kAutomaticIndex ||
         (s.kind == PlanStep::Kind::kIndexScan && !limited);
}

std::vector<std::string> TablesReadWhole(const std::vector<PlanStep>& steps, bool limited) {
  std::vector<std::string> out;
  for (const PlanStep& s : steps)
    if (!s.table.empty() && ReadsWholeTable(s, limited) && std::find(out.begin(), out.end(), s.table) == out.end())
      out.push_back(s.table);
  return out;
}

std::string TrimStatement(std::string_view sql) {
  std::string_view t = Trim(sql);
  while (!t.empty() && t.back() == ';') t = Trim(t.substr(0, t.size() - 1));
  return std::string(t);
}

Result<std::vector<std::string>> Column0(Database& db, const std::string& sql, const std::string& bind = {}) {
  Result<Statement> stmt = db.Prepare(sql);
  if (!stmt.ok()) return stmt.status();
  if (!bind.empty())
    if (Status s = stmt->Bind(1, bind); !s.ok()) return s;
  std::vector<std::string> out;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out.push_back(stmt->Text(0));
  }
  return out;
}

// ---------------------------------------------------------------------------
// The live indexes, as the pragmas report them.

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
    if (Status s = info->Reset(); !s.ok()) return s;
    if (Status s = info->Bind(1, index.name); !s.ok()) return s;
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

// ---------------------------------------------------------------------------
// The sandbox: the live schema without rows, in memory, where candidate
// indexes are created and thrown away.

class Sandbox {
 public:
  static Result<Sandbox> Create(Database& live) {
    Result<Database> mem = Database::Open(":memory:");
    if (!mem.ok()) return mem.status();
    // Foreign keys and CHECKs play no part in plans; a table whose module
    // is missing here (a virtual table) is simply left out.
    Result<Statement> ddl = live.Prepare(
        "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND type IN ('table', 'index', 'view') "
        "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY type = 'index', rowid");
    if (!ddl.ok()) return ddl.status();
    for (;;) {
      Result<bool> row = ddl->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      (void)mem->Exec(ddl->Text(0));
    }
    // Statistics change plans; without them both databases assume the same
    // default sizes.
    Result<int64_t> has_stat = live.QueryInt("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat1'");
    if (!has_stat.ok()) return has_stat.status();
    if (*has_stat > 0) {
      if (Status s = mem->Exec("ANALYZE; DELETE FROM sqlite_stat1;"); !s.ok()) return s;
      Result<Statement> rows = live.Prepare("SELECT tbl, idx, stat FROM sqlite_stat1");
      if (!rows.ok()) return rows.status();
      Result<Statement> insert = mem->Prepare("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?1, ?2, ?3)");
      if (!insert.ok()) return insert.status();
      for (;;) {
        Result<bool> row = rows->Step();
        if (!row.ok()) return row.status();
        if (!*row) break;
        (void)insert->Reset();
        (void)insert->Bind(1, rows->Text(0));
        if (rows->IsNull(1)) {
          (void)insert->BindNull(2);
        } else {
          (void)insert->Bind(2, rows->Text(1));
        }
        (void)insert->Bind(3, rows->Text(2));
        if (Result<bool> done = insert->Step(); !done.ok()) return done.status();
      }
      if (Status s = mem->Exec("ANALYZE sqlite_schema"); !s.ok()) return s;
    }
    return Sandbox(std::move(mem.value()));
  }

  // The plan of `sql` once `create_index` exists; the index is gone again
  // afterwards.
  Result<std::vector<PlanStep>> PlanWith(const std::string& create_index, const std::string& sql,
                                         const std::vector<std::string>& tables) {
    if (Status s = db_.Exec("SAVEPOINT strata_explain"); !s.ok()) return s;
    Status created = db_.Exec(create_index);
    Result<std::vector<PlanStep>> plan = created.ok() ? ExplainQueryPlan(db_, sql, tables) : Result<std::vector<PlanStep>>(created);
    // ROLLBACK TO keeps the savepoint open; RELEASE ends it.
    if (Status s = db_.Exec("ROLLBACK TO strata_explain; RELEASE strata_explain"); !s.ok()) return s;
    return plan;
  }

 private:
  explicit Sandbox(Database db) : db_(std::move(db)) {}
  Database db_;
};

// ---------------------------------------------------------------------------
// Candidate indexes for a table a query scans.

struct Terms {
  std::vector<std::string> equality;  // compared with a value, in order of appearance
  std::vector<std::string> join;      // compared with another table's column
  std::vector<std::string> range;
  std::vector<std::string> order_by;  // empty unless every ORDER BY term is a column of the table
};

Terms TermsFor(const std::vector<Token>& tokens, const TableInfo& table, const std::map<std::string, std::string>& aliases,
               const std::map<std::string, TableInfo>& infos) {
  Terms terms;
  const std::vector<std::string> clauses = Clauses(tokens);
  std::set<std::string> own_names;  // aliases of this table
  std::set<std::string> tables_in_query;
  for (const auto& [alias, name] : aliases) {
    tables_in_query.insert(name);
    if (name == table.name) own_names.insert(alias);
  }
  const auto column_of = [&](const TableInfo& t, const std::string& name) -> std::string {
    for (const std::string& c : t.columns)
      if (EqualsIgnoreCase(c, name)) return c;
    return {};
  };
  // The table's column a token names, or "" (another table's, ambiguous, or none).
  const auto column_at = [&](size_t i) -> std::string {
    if (i >= tokens.size() || tokens[i].type != Token::kIdent || IsKeyword(tokens[i])) return {};
    if (i + 1 < tokens.size() && tokens[i + 1].text == ".") return {};
    if (i >= 2 && tokens[i - 1].text == ".")
      return own_names.count(AsciiLower(tokens[i - 2].text)) ? column_of(table, tokens[i].text) : std::string();
    std::string own = column_of(table, tokens[i].text);
    if (own.empty()) return {};
    for (const std::string& other : tables_in_query) {
      if (other == table.name) continue;
      auto it = infos.find(other);
      if (it != infos.end() && !column_of(it->second, tokens[i].text).empty()) return {};  // ambiguous
    }
    return own;
  };
  const auto add = [](std::vector<std::string>& v, const std::string& c) {
    if (std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
  };
  bool order_ok = true;
  bool in_order = false;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& clause = clauses[i];
    if (clause == "ORDER" && tokens[i].depth == 0) {
      if (Is(tokens, i, "ORDER") || Is(tokens, i, "BY") || Is(tokens, i, "ASC") || Is(tokens, i, "DESC") ||
          tokens[i].text == "," || tokens[i].text == ".")
        continue;
      in_order = true;
      std::string c = column_at(i);
      if (c.empty()) {
        if (tokens[i].type == Token::kIdent && i + 1 < tokens.size() && tokens[i + 1].text == ".") continue;
        order_ok = false;
      } else {
        add(terms.order_by, c);
      }
      continue;
    }
    if (clause != "WHERE" && clause != "ON") continue;
    std::string c = column_at(i);
    if (c.empty()) continue;
    const auto op_after = [&](size_t j) { return j < tokens.size() ? tokens[j].upper : std::string(); };
    std::string next = op_after(i + 1);
    std::string prev = i >= 1 ? tokens[i - 1].upper : "";
    if (i >= 2 && tokens[i - 1].text == ".") prev = i >= 3 ? tokens[i - 3].upper : "";
    const bool negated = i >= 1 && Is(tokens, i + 1, "NOT");
    if (negated) continue;
    // The other side of `=`: a column (a join term) or a value.
    const auto is_column = [&](size_t j) {
      return j < tokens.size() && tokens[j].type == Token::kIdent && !IsKeyword(tokens[j]) &&
             !Is(tokens, j, "TRUE") && !Is(tokens, j, "FALSE") && !Is(tokens, j, "CURRENT_TIMESTAMP");
    };
    const size_t first = i >= 2 && tokens[i - 1].text == "." ? i - 2 : i;
    if (next == "=" || next == "==") {
      add(is_column(i + 2) ? terms.join : terms.equality, c);
    } else if (prev == "=" || prev == "==") {
      add(first >= 2 && is_column(first - 2) ? terms.join : terms.equality, c);
    } else if (next == "IN" || (next == "IS" && !Is(tokens, i + 2, "NOT"))) {
      add(terms.equality, c);
    } else if (next == "<" || next == ">" || next == "<=" || next == ">=" || next == "BETWEEN" || prev == "<" ||
               prev == ">" || prev == "<=" || prev == ">=") {
      add(terms.range, c);
    }
  }
  if (!in_order || !order_ok) terms.order_by.clear();
  return terms;
}

std::vector<std::vector<std::string>> Candidates(const Terms& t) {
  std::vector<std::vector<std::string>> out;
  const auto add = [&](std::vector<std::string> cols) {
    if (!cols.empty() && std::find(out.begin(), out.end(), cols) == out.end()) out.push_back(std::move(cols));
  };
  const auto plus = [](std::vector<std::string> a, const std::vector<std::string>& b) {
    for (const std::string& c : b)
      if (std::find(a.begin(), a.end(), c) == a.end()) a.push_back(c);
    return a;
  };
  // Equality columns first, then one range column (an index serves a
  // single range, after its equalities), or else the ORDER BY columns so
  // that the rows come out sorted. Terms against a value come before join
  // terms: a join may be served from the other side.
  const std::vector<std::string> tail = !t.range.empty() ? std::vector<std::string>{t.range[0]} : t.order_by;
  add(plus(t.equality, tail));
  add(plus(plus(t.equality, t.join), tail));
  add(t.equality);
  add(plus(t.equality, t.join));
  add(t.join);
  for (const std::string& c : t.equality) add({c});
  for (const std::string& c : t.join) add({c});
  for (const std::string& c : t.range) add({c});
  add(t.order_by);
  return out;
}

std::string IndexName(const TableInfo& table, const std::vector<std::string>& columns, const std::set<std::string>& taken) {
  std::string base = "idx_" + table.name;
  for (const std::string& c : columns) base += "_" + c;
  std::string name = base;
  for (int n = 2; taken.count(AsciiLower(name)); ++n) name = base + "_" + std::to_string(n);
  return name;
}

std::string CreateIndexStatement(const std::string& name, const std::string& table, const std::vector<std::string>& columns) {
  return fmt::format("CREATE INDEX {} ON {} {};", QuoteIdentifier(name), QuoteIdentifier(table), RenderColumnList(columns));
}

// ---------------------------------------------------------------------------
// Redundancy: the rule is dialect-neutral (FindRedundantIndexes); SQLite
// adds the index that repeats the rowid.

IndexShape ShapeOf(const IndexInfo& i) {
  IndexShape shape;
  shape.name = i.name;
  shape.origin = i.origin == "pk"  ? IndexShape::Origin::kPrimaryKey
                 : i.origin == "u" ? IndexShape::Origin::kUnique
                                   : IndexShape::Origin::kIndex;
  shape.unique = i.unique;
  shape.where = i.where;
  for (const IndexPartInfo& p : i.parts) shape.keys.push_back({p.column, p.descending, p.collation, ""});
  shape.has_expression = i.has_expression;
  shape.created = i.created;
  shape.display_columns = i.display_columns;
  return shape;
}

std::vector<RedundantIndex> FindRedundant(const TableInfo& t) {
  std::vector<IndexShape> shapes;
  for (const IndexInfo& i : t.indexes) shapes.push_back(ShapeOf(i));
  std::vector<RedundantIndex> covered = FindRedundantIndexes(
      t.name, shapes, [](const IndexShape& i) { return fmt::format("DROP INDEX {};", QuoteIdentifier(i.name)); });
  std::vector<RedundantIndex> out;
  for (const IndexInfo& a : t.indexes) {
    if (a.origin != "c") continue;
    // An index on the INTEGER PRIMARY KEY alone duplicates the rowid, which
    // is the table's own key.
    if (!t.rowid_alias.empty() && !a.unique && a.where.empty() && a.parts.size() == 1 && a.parts[0].column == t.rowid_alias &&
        a.parts[0].collation == "BINARY") {
      const std::string columns = "(" + fmt::format("{}", fmt::join(a.display_columns, ", ")) + ")";
      out.push_back({t.name, a.name, columns, "rowid", "(" + t.rowid_alias + ")", "INTEGER PRIMARY KEY (rowid)", true,
                     fmt::format("DROP INDEX {};", QuoteIdentifier(a.name))});
      continue;
    }
    auto found = std::find_if(covered.begin(), covered.end(), [&](const RedundantIndex& r) { return r.index == a.name; });
    if (found != covered.end()) out.push_back(std::move(*found));
  }
  return out;
}

std::string ColumnsText(const std::vector<std::string>& columns) {
  return "(" + fmt::format("{}", fmt::join(columns, ", ")) + ")";
}

}  // namespace

Result<std::vector<PlanStep>> ExplainQueryPlan(Database& db, const std::string& sql, const std::vector<std::string>& tables) {
  const std::string statement = TrimStatement(sql);
  const std::map<std::string, std::string> aliases = AliasMap(TokenizeSql(statement), tables);
  Result<Statement> stmt = db.Prepare("EXPLAIN QUERY PLAN " + statement);
  if (!stmt.ok()) return stmt.status();
  std::vector<PlanStep> steps;
  for (;;) {
    Result<bool> row = stmt->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    steps.push_back(ClassifyRow(static_cast<int>(stmt->Int(0)), static_cast<int>(stmt->Int(1)), stmt->Text(3), aliases));
  }
  return steps;
}

Result<ExplainReport> Explain(Database& db, const Schema& schema) {
  ExplainReport report;
  report.verification = "checked with SQLite on a copy of the schema";
  // Live tables the schema declares; strata's history and ignored tables
  // are not the schema's business.
  Result<std::vector<std::string>> live = Column0(
      db, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid");
  if (!live.ok()) return live.status();
  const std::vector<std::string>& tables = *live;
  Result<std::map<std::string, IndexText>> index_texts = ReadIndexTexts(db);
  if (!index_texts.ok()) return index_texts.status();
  std::map<std::string, TableInfo> infos;
  std::set<std::string> taken_names;
  for (const std::string& name : tables) {
    Result<TableInfo> info = ReadTable(db, name, *index_texts);
    if (!info.ok()) return info.status();
    for (const IndexInfo& i : info->indexes) taken_names.insert(AsciiLower(i.name));
    infos.emplace(name, std::move(info.value()));
  }
  const auto is_large = [&](const std::string& table) {
    const Table* t = schema.FindTable(table);
    return t && t->large;
  };

  std::optional<Sandbox> sandbox;
  std::string sandbox_error;
  const auto get_sandbox = [&]() -> Sandbox* {
    if (!sandbox && sandbox_error.empty()) {
      Result<Sandbox> s = Sandbox::Create(db);
      if (s.ok()) {
        sandbox.emplace(std::move(s.value()));
      } else {
        sandbox_error = s.status().message();
      }
    }
    return sandbox ? &*sandbox : nullptr;
  };

  // An index already suggested for the table may serve this case too:
  // SQLite decides, and then one index is suggested for both.
  const auto merge_into_earlier = [&](const std::string& table, const std::string& sql,
                                      const std::function<bool(const std::vector<PlanStep>&)>& fixed,
                                      const std::string& reason, bool query_scan) {
    Sandbox* box = get_sandbox();
    if (!box) return false;
    for (MissingIndex& earlier : report.missing) {
      if (earlier.table != table || earlier.create_sql.empty() || !earlier.verified) continue;
      Result<std::vector<PlanStep>> after = box->PlanWith(earlier.create_sql, sql, tables);
      if (!after.ok() || !fixed(*after)) continue;
      earlier.reasons.push_back(reason);
      earlier.query_scan = earlier.query_scan || query_scan;
      return true;
    }
    return false;
  };
  const auto add_missing = [&](MissingIndex m) {
    if (!m.create_sql.empty()) taken_names.insert(AsciiLower(AfterWord(m.create_sql, "CREATE INDEX ")));
    report.missing.push_back(std::move(m));
  };

  for (const Query& q : schema.queries) {
    QueryPlan plan{q.name, TrimStatement(q.sql), {}, {}, {}};
    Result<std::vector<PlanStep>> steps = ExplainQueryPlan(db, plan.sql, tables);
    if (!steps.ok()) {
      plan.error = steps.status().message();
      report.queries.push_back(std::move(plan));
      continue;
    }
    plan.steps = std::move(steps.value());
    const std::vector<Token> tokens = TokenizeSql(plan.sql);
    const bool limited = HasTopLevelLimit(tokens);
    for (const std::string& t : TablesReadWhole(plan.steps, limited))
      if (is_large(t)) plan.large_tables_scanned.push_back(t);

    for (const std::string& t : plan.large_tables_scanned) {
      const std::string reason = fmt::format("query {} reads every row", q.name);
      const auto fixed = [&](const std::vector<PlanStep>& after) {
        const std::vector<std::string> still = TablesReadWhole(after, limited);
        return std::find(still.begin(), still.end(), t) == still.end();
      };
      if (merge_into_earlier(t, plan.sql, fixed, reason, true)) continue;
      MissingIndex m{t, true, {reason}, true, {}, {}, false};
      const TableInfo& info = infos.at(t);
      const Terms terms = TermsFor(tokens, info, AliasMap(tokens, tables), infos);
      if (Sandbox* box = get_sandbox()) {
        for (const std::vector<std::string>& columns : Candidates(terms)) {
          const std::string create = CreateIndexStatement(IndexName(info, columns, taken_names), t, columns);
          Result<std::vector<PlanStep>> after = box->PlanWith(create, plan.sql, tables);
          if (!after.ok() || !fixed(*after)) continue;
          m.columns = columns;
          m.create_sql = create;
          m.verified = true;
          break;
        }
      }
      add_missing(std::move(m));
    }
    report.queries.push_back(std::move(plan));
  }

  // Foreign keys: deleting or re-keying a parent row looks the child rows up
  // by the child columns. Ask SQLite how it would do that lookup.
  for (const std::string& name : tables) {
    if (!schema.FindTable(name)) continue;
    const TableInfo& info = infos.at(name);
    for (const ForeignKey& fk : info.foreign_keys) {
      std::string where;
      for (const std::string& c : fk.columns) where += (where.empty() ? "" : " AND ") + QuoteIdentifier(c) + " = ?";
      const std::string lookup = fmt::format("SELECT 1 FROM {} WHERE {}", QuoteIdentifier(name), where);
      const auto searched = [&](const std::vector<PlanStep>& steps) {
        return std::any_of(steps.begin(), steps.end(), [&](const PlanStep& s) {
          return s.table == name && (s.kind == PlanStep::Kind::kSearch || s.kind == PlanStep::Kind::kCoveringSearch ||
                                     s.kind == PlanStep::Kind::kKeySearch);
        });
      };
      Result<std::vector<PlanStep>> steps = ExplainQueryPlan(db, lookup, tables);
      if (!steps.ok()) return steps.status();
      if (searched(*steps)) continue;
      const std::string reason = fmt::format("foreign key {} -> {}{} has no index", ColumnsText(fk.columns), fk.ref_table,
                                             fk.ref_columns.empty() ? "" : ColumnsText(fk.ref_columns));
      if (merge_into_earlier(name, lookup, searched, reason, false)) continue;
      MissingIndex m{name, is_large(name), {reason}, false, fk.columns, {}, false};
      m.create_sql = CreateIndexStatement(IndexName(info, fk.columns, taken_names), name, fk.columns);
      if (Sandbox* box = get_sandbox()) {
        Result<std::vector<PlanStep>> after = box->PlanWith(m.create_sql, lookup, tables);
        m.verified = after.ok() && searched(*after);
      }
      add_missing(std::move(m));
    }
  }

  for (const std::string& name : tables)
    if (schema.FindTable(name))
      for (RedundantIndex& r : FindRedundant(infos.at(name))) report.redundant.push_back(std::move(r));
  return report;
}

}  // namespace strata::sqlite
