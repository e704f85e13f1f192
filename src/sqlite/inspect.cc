#include "sqlite/inspect.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <tuple>

#include <fmt/format.h>

#include "base/strings.h"
#include "schema/types.h"
#include "sqlite/ddl_parser.h"
#include "sqlite/sql_lexer.h"
#include "sqlite/sql_writer.h"

namespace strata::sqlite {

DefaultValue ParseDefault(std::string_view raw) {
  std::string_view text = Trim(raw);
  std::string upper = AsciiUpper(text);
  if (upper == "NULL") return DefaultValue::Literal(Value::Null());
  if (upper == "TRUE") return DefaultValue::Literal(Value::Bool(true));
  if (upper == "FALSE") return DefaultValue::Literal(Value::Bool(false));
  if (text.size() >= 2 && text.front() == '\'' && text.back() == '\'') {
    std::string value;
    bool closed_early = false;
    for (size_t i = 1; i + 1 < text.size(); ++i) {
      if (text[i] == '\'') {
        if (i + 2 >= text.size() || text[i + 1] != '\'') {
          closed_early = true;  // 'a' || 'b': not a single literal
          break;
        }
        ++i;
      }
      value += text[i];
    }
    if (!closed_early) return DefaultValue::Literal(Value::Text(value));
  }
  const char* begin = text.data();
  const char* end = begin + text.size();
  if (begin != end && *begin == '+') ++begin;
  int64_t i = 0;
  if (auto [p, ec] = std::from_chars(begin, end, i); ec == std::errc() && p == end)
    return DefaultValue::Literal(Value::Int(i));
  double d = 0;
  if (auto [p, ec] = std::from_chars(begin, end, d); ec == std::errc() && p == end)
    return DefaultValue::Literal(Value::Real(d));
  std::string_view sql = text;
  if (sql.size() >= 2 && sql.front() == '(' && sql.back() == ')') sql = sql.substr(1, sql.size() - 2);
  return DefaultValue::Sql(std::string(sql));
}

// The predicate follows the first top-level WHERE (column lists and
// expressions are inside parentheses).
std::string PartialIndexWhere(const std::string& sql) {
  for (const SqlToken& t : TokenizeSql(sql))
    if (t.depth == 0 && t.IsWord("WHERE")) return std::string(Trim(std::string_view(sql).substr(t.end)));
  return {};
}

namespace {

// AUTOINCREMENT appears as a keyword in the CREATE TABLE text only; the
// pragmas do not report it.
bool HasAutoincrement(const std::string& create_sql) {
  return AsciiUpper(create_sql).find("AUTOINCREMENT") != std::string::npos;
}

// The per-table pragma queries, prepared once for all tables: preparing
// them again for each table was a quarter of inspecting 1,000 tables.
struct TableQueries {
  static Result<TableQueries> Prepare(Database& db) {
    Result<Statement> columns = db.Prepare(
        "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?1) ORDER BY cid");
    if (!columns.ok()) return columns.status();
    Result<Statement> index_list = db.Prepare(
        "SELECT il.name, il.\"unique\", il.origin, il.partial FROM pragma_index_list(?1) AS il ORDER BY il.seq DESC");
    if (!index_list.ok()) return index_list.status();
    Result<Statement> index_parts =
        db.Prepare("SELECT name, \"desc\", coll, cid FROM pragma_index_xinfo(?1) WHERE key = 1 ORDER BY seqno");
    if (!index_parts.ok()) return index_parts.status();
    Result<Statement> foreign_keys = PrepareForeignKeys(db);
    if (!foreign_keys.ok()) return foreign_keys.status();
    return TableQueries{std::move(columns.value()), std::move(index_list.value()), std::move(index_parts.value()),
                        std::move(foreign_keys.value())};
  }
  Statement columns, index_list, index_parts, foreign_keys;
};

Status InspectColumns(Statement& stmt, Table& t, const std::string& create_sql) {
  if (Status s = stmt.Reset(t.name); !s.ok()) return s;
  std::map<int64_t, std::string> pk;
  for (;;) {
    Result<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Column c;
    c.name = stmt.Text(0);
    c.type = stmt.Text(1);
    // A type strata does not know is kept as SQLite stores it.
    c.verbatim_type = !IsKnownType(c.type);
    // hidden: 2 for a VIRTUAL generated column, 3 for a STORED one; the
    // expression comes from the CREATE text.
    if (stmt.Int(5) == 2 || stmt.Int(5) == 3) c.generated = Generated{{}, stmt.Int(5) == 3};
    c.nullable = stmt.Int(2) == 0;
    if (!stmt.IsNull(3)) c.default_value = ParseDefault(stmt.Text(3));
    if (stmt.Int(4) > 0) pk[stmt.Int(4)] = c.name;
    t.columns.push_back(std::move(c));
  }
  t.columns.shrink_to_fit();  // a model of many tables is held whole, and copied
  if (pk.size() == 1) {
    for (Column& c : t.columns)
      if (c.name == pk.begin()->second) {
        c.primary_key = true;
        c.autoincrement = HasAutoincrement(create_sql) && AsciiUpper(c.type) == "INTEGER";
      }
  } else {
    for (const auto& [seq, name] : pk) t.primary_key.push_back(name);
  }
  return Status::Ok();
}

Status InspectIndexes(TableQueries& queries, Table& t, const std::map<std::string, IndexText>& index_sql) {
  Statement& list = queries.index_list;
  Statement& info = queries.index_parts;
  if (Status s = list.Reset(t.name); !s.ok()) return s;
  for (;;) {
    Result<bool> row = list.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    std::string origin = list.Text(2);
    if (origin == "pk") continue;
    Index index;
    index.name = list.Text(0);
    index.unique = list.Int(1) != 0;
    const auto text = index_sql.find(index.name);
    if (list.Int(3) != 0 && text != index_sql.end()) index.where = PartialIndexWhere(text->second.sql);
    // An expression key (cid -2) has no name; its text is in the CREATE INDEX.
    const std::vector<ParsedIndexTerm> terms =
        text == index_sql.end() ? std::vector<ParsedIndexTerm>{} : ParseIndexTerms(text->second.sql);
    if (Status s = info.Reset(index.name); !s.ok()) return s;
    for (;;) {
      Result<bool> part = info.Step();
      if (!part.ok()) return part.status();
      if (!*part) break;
      // Kept even when BINARY: on a NOCASE column, COLLATE BINARY is an
      // override (InspectCreateText clears what the column implies anyway).
      IndexPart p{.column = info.Text(0), .descending = info.Int(1) != 0, .collation = AsciiUpper(info.Text(2))};
      if (info.Int(3) == -2) {
        const size_t at = index.parts.size();
        if (at >= terms.size() || terms[at].expression.empty())
          return Status::Error(StatusCode::kNotSupported,
                               fmt::format("index \"{}\": cannot read key {} from its CREATE INDEX text", index.name, at + 1));
        p.expression = terms[at].expression;
      }
      index.parts.push_back(std::move(p));
    }
    if (origin == "u") {
      // A UNIQUE constraint of the table; one column reads as a column flag.
      if (index.parts.size() == 1) {
        for (Column& c : t.columns)
          if (EqualsIgnoreCase(c.name, index.parts[0].column)) c.unique = true;
      } else {
        UniqueConstraint u;
        for (const IndexPart& p : index.parts) u.columns.push_back(p.column);
        t.uniques.push_back(std::move(u));
      }
      continue;
    }
    t.indexes.push_back(std::move(index));
  }
  return Status::Ok();
}

FkAction ParseAction(const std::string& text) {
  std::string upper = AsciiUpper(text);
  if (upper == "CASCADE") return FkAction::kCascade;
  if (upper == "SET NULL") return FkAction::kSetNull;
  if (upper == "SET DEFAULT") return FkAction::kSetDefault;
  if (upper == "RESTRICT") return FkAction::kRestrict;
  return FkAction::kNoAction;
}

bool SameNames(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](const std::string& x, const std::string& y) { return EqualsIgnoreCase(x, y); });
}

// CHECK constraints, collations and ON CONFLICT clauses, which only the
// stored CREATE text holds.
void InspectCreateText(Table& t, const std::string& create_sql) {
  ParsedCreateTable parsed = ParseCreateTable(create_sql);
  for (const ParsedColumn& p : parsed.columns)
    for (Column& c : t.columns)
      if (EqualsIgnoreCase(c.name, p.name)) {
        c.collation = p.collation;
        c.check = p.check;
        if (c.generated) c.generated->expr = p.generated;
        if (c.primary_key) c.primary_key_on_conflict = p.primary_key_on_conflict;
        if (!c.nullable) c.not_null_on_conflict = p.not_null_on_conflict;
        if (c.unique) c.unique_on_conflict = p.unique_on_conflict;
      }
  // A table-level key of one column reads as a column flag (see
  // InspectColumns and InspectIndexes), and its clause goes with it. SQLite
  // refuses two clauses that differ for one key, so there is one to keep.
  if (parsed.primary_key && parsed.primary_key->on_conflict != ConflictResolution::kAbort) {
    if (!t.primary_key.empty()) {
      t.primary_key_on_conflict = parsed.primary_key->on_conflict;
    } else if (parsed.primary_key->columns.size() == 1) {
      for (Column& c : t.columns)
        if (c.primary_key) c.primary_key_on_conflict = parsed.primary_key->on_conflict;
    }
  }
  for (const ParsedKey& p : parsed.uniques) {
    if (p.on_conflict == ConflictResolution::kAbort) continue;
    if (p.columns.size() == 1) {
      for (Column& c : t.columns)
        if (c.unique && EqualsIgnoreCase(c.name, p.columns[0])) c.unique_on_conflict = p.on_conflict;
    }
    for (UniqueConstraint& u : t.uniques)
      if (SameNames(u.columns, p.columns)) u.on_conflict = p.on_conflict;
  }
  for (ParsedCheck& p : parsed.checks) t.checks.push_back({std::move(p.name), std::move(p.expr), {}});
  for (ForeignKey& fk : t.foreign_keys)
    for (const ParsedForeignKey& p : parsed.foreign_keys)
      if (EqualsIgnoreCase(p.ref_table, fk.ref_table) && SameNames(p.columns, fk.columns)) fk.deferred = p.deferred;
  // pragma_index_xinfo reports the collation an index part ends up with,
  // which is the column's (BINARY for an expression) unless the index names
  // another one. An explicit COLLATE BINARY on a NOCASE column used to be
  // cleared too, so a rebuild re-created the index as NOCASE (and a UNIQUE
  // one then refused rows differing only in case).
  for (Index& index : t.indexes)
    for (IndexPart& part : index.parts) {
      const Column* c = part.expression.empty() ? t.FindColumn(part.column) : nullptr;
      const std::string implied = c && !c->collation.empty() ? AsciiUpper(c->collation) : "BINARY";
      if (EqualsIgnoreCase(part.collation, implied)) part.collation.clear();
    }
}

}  // namespace

Result<Statement> PrepareForeignKeys(Database& db) {
  // pragma_foreign_key_list numbers constraints from the last declared one;
  // reverse them to get the declared order back.
  return db.Prepare(
      "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM "
      "pragma_foreign_key_list(?1) ORDER BY id DESC, seq");
}

Result<std::vector<ForeignKey>> ReadForeignKeys(Statement& stmt, const std::string& table) {
  if (Status s = stmt.Reset(table); !s.ok()) return s;
  std::vector<ForeignKey> out;
  int64_t current = -1;
  for (;;) {
    Result<bool> row = stmt.Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (stmt.Int(0) != current) {
      current = stmt.Int(0);
      ForeignKey fk;
      fk.ref_table = stmt.Text(1);
      fk.on_update = ParseAction(stmt.Text(4));
      fk.on_delete = ParseAction(stmt.Text(5));
      out.push_back(std::move(fk));
    }
    ForeignKey& fk = out.back();
    fk.columns.push_back(stmt.Text(2));
    if (!stmt.IsNull(3)) fk.ref_columns.push_back(stmt.Text(3));
  }
  return out;
}

Result<std::vector<ForeignKey>> ReadForeignKeys(Database& db, const std::string& table) {
  Result<Statement> stmt = PrepareForeignKeys(db);
  if (!stmt.ok()) return stmt.status();
  return ReadForeignKeys(*stmt, table);
}

Result<std::map<std::string, StoredTable>> ReadStoredTables(Database& db, const std::vector<std::string>& ignored) {
  std::map<std::string, StoredTable> out;
  Result<Statement> objects = db.Prepare(
      "SELECT lower(tbl_name), type, name, sql FROM sqlite_schema WHERE type IN ('table', 'index', 'trigger') "
      "AND tbl_name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY 1, type = 'table' DESC, name");
  if (!objects.ok()) return objects.status();
  for (;;) {
    Result<bool> row = objects->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    // Separated by a byte no name or statement starts with, so that no two
    // lists of objects make the same text. An index SQLite made for a
    // constraint has no text; its name stands for it.
    std::string& definition = out[objects->Text(0)].definition;
    for (int column : {1, 2, 3}) definition += objects->Text(column) + '\x1f';
  }
  for (const std::string& name : ignored) out.erase(AsciiLower(name));
  // A virtual table's foreign keys are its module's business.
  Result<Statement> references = db.Prepare(
      "SELECT lower(m.name), lower(f.\"table\") FROM sqlite_schema AS m, pragma_foreign_key_list(m.name) AS f "
      "WHERE m.type = 'table' AND m.sql NOT LIKE 'CREATE VIRTUAL%'");
  if (!references.ok()) return references.status();
  for (;;) {
    Result<bool> row = references->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (auto t = out.find(references->Text(0)); t != out.end()) t->second.references.push_back(references->Text(1));
  }
  return out;
}

Result<std::map<std::string, IndexText>> ReadIndexTexts(Database& db) {
  std::map<std::string, IndexText> out;
  Result<Statement> indexes = db.Prepare("SELECT name, sql, rowid FROM sqlite_schema WHERE type = 'index'");
  if (!indexes.ok()) return indexes.status();
  for (;;) {
    Result<bool> row = indexes->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out[indexes->Text(0)] = {indexes->Text(1), indexes->Int(2)};
  }
  return out;
}

namespace {

// The kind pragma_table_list gives each table of the main schema that is
// not an ordinary one ("virtual", "shadow"), by name.
Result<std::map<std::string, std::string>> ReadTableKinds(Database& db) {
  std::map<std::string, std::string> out;
  Result<Statement> list =
      db.Prepare("SELECT name, type FROM pragma_table_list WHERE schema = 'main' AND type <> 'table'");
  if (!list.ok()) return list.status();
  for (;;) {
    Result<bool> row = list->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    out[list->Text(0)] = list->Text(1);
  }
  return out;
}

// Trigger and view text stays byte for byte (SameSql compares it).
void AsInspected(std::vector<Trigger>& triggers) {
  for (Trigger& tr : triggers) {
    tr.description.clear();
    tr.pos = {};
  }
  std::sort(triggers.begin(), triggers.end(), [](const Trigger& a, const Trigger& b) { return a.name < b.name; });
}
}  // namespace

bool SameSql(std::string_view a, std::string_view b) { return a == b || CanonicalSql(a) == CanonicalSql(b); }

Table AsInspected(Table t) {
  t.description.clear();
  t.large = false;
  t.pos = {};
  for (CheckConstraint& c : t.checks) {
    c.expr = CanonicalSql(c.expr);
    c.pos = {};
  }
  t.data_checks.clear();
  t.data_fixes.clear();
  t.rows.clear();
  t.row_key.clear();
  t.renamed_from.clear();
  for (Column& c : t.columns) {
    // The type SQLite was given: an `sqlite` override, known or verbatim as
    // inspection reads it back. Other dialects' overrides are no part of an
    // SQLite database.
    const bool overridden = c.DialectType(kDialectName) != nullptr;
    ResolveDialectTypes(c, kDialectName);
    if (overridden) c.verbatim_type = !IsKnownType(c.type);
    c.description.clear();
    c.check = CanonicalSql(c.check);
    c.collation = AsciiUpper(c.collation);
    if (c.collation == "BINARY") c.collation.clear();
    c.renamed_from.clear();
    c.pos = {};
  }
  std::erase_if(t.uniques, [&](const UniqueConstraint& u) {
    if (u.columns.size() != 1) return false;
    for (Column& c : t.columns)
      if (c.name == u.columns[0]) {
        c.unique = true;
        if (u.on_conflict != ConflictResolution::kAbort) c.unique_on_conflict = u.on_conflict;
      }
    return true;
  });
  // A resolution without its constraint is no clause in any CREATE text.
  if (t.primary_key.empty()) t.primary_key_on_conflict = ConflictResolution::kAbort;
  for (Column& c : t.columns) {
    if (!c.primary_key) c.primary_key_on_conflict = ConflictResolution::kAbort;
    if (c.nullable) c.not_null_on_conflict = ConflictResolution::kAbort;
    if (!c.unique) c.unique_on_conflict = ConflictResolution::kAbort;
  }
  for (UniqueConstraint& u : t.uniques) u.pos = {};
  for (ForeignKey& fk : t.foreign_keys) fk.pos = {};
  // pragma_foreign_key_list has no stable order across rebuilds; compare as a set.
  std::sort(t.foreign_keys.begin(), t.foreign_keys.end(), [](const ForeignKey& a, const ForeignKey& b) {
    return std::tie(a.ref_table, a.columns) < std::tie(b.ref_table, b.columns);
  });
  AsInspected(t.triggers);
  for (Index& i : t.indexes) {
    // The collation a part would have anyway is no collation of its own.
    for (IndexPart& p : i.parts) {
      const Column* c = p.expression.empty() ? t.FindColumn(p.column) : nullptr;
      const std::string implied = c && !c->collation.empty() ? AsciiUpper(c->collation) : "BINARY";
      p.collation = EqualsIgnoreCase(p.collation, implied) ? "" : AsciiUpper(p.collation);
    }
    i.where = CanonicalSql(i.where);
    i.description.clear();
    i.renamed_from.clear();
    i.pos = {};
  }
  std::sort(t.indexes.begin(), t.indexes.end(), [](const Index& a, const Index& b) { return a.name < b.name; });
  return t;
}

Schema AsInspected(const Schema& s) {
  Schema out;
  out.tables.reserve(s.tables.size());
  for (const Table& t : s.tables) out.tables.push_back(AsInspected(t));
  std::sort(out.tables.begin(), out.tables.end(), [](const Table& a, const Table& b) { return a.name < b.name; });
  for (View v : s.views) {
    AsInspected(v.triggers);
    out.views.push_back({v.name, v.sql, v.triggers, {}, {}});
  }
  out.unmodelled = s.unmodelled;
  std::sort(out.views.begin(), out.views.end(), [](const View& a, const View& b) { return a.name < b.name; });
  return out;
}

Result<Schema> InspectSchema(Database& db, const std::vector<std::string>& ignored,
                             const std::set<std::string>* only) {
  Result<std::map<std::string, IndexText>> index_sql = ReadIndexTexts(db);
  if (!index_sql.ok()) return index_sql.status();
  // pragma_table_list tells virtual tables and their shadow tables (which
  // belong to the virtual table's module) from ordinary ones. It is read
  // once: joined to sqlite_schema, SQLite runs the pragma again for every
  // row, which made inspecting N tables cost N * N rows.
  Result<std::map<std::string, std::string>> kinds = ReadTableKinds(db);
  if (!kinds.ok()) return kinds.status();
  Result<Statement> tables = db.Prepare(
      "SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
      "ORDER BY rowid");
  if (!tables.ok()) return tables.status();
  Result<TableQueries> queries = TableQueries::Prepare(db);
  if (!queries.ok()) return queries.status();
  Schema schema;
  for (;;) {
    Result<bool> row = tables->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    Table t;
    t.name = tables->Text(0);
    if (std::any_of(ignored.begin(), ignored.end(),
                    [&](const std::string& n) { return EqualsIgnoreCase(n, t.name); }))
      continue;
    std::string create_sql = tables->Text(1);
    const auto kind_of = kinds->find(t.name);
    const std::string kind = kind_of == kinds->end() ? "table" : kind_of->second;
    if (kind == "shadow") continue;
    if (kind == "virtual" || AsciiUpper(create_sql).starts_with("CREATE VIRTUAL")) {
      const std::vector<SqlToken> tokens = TokenizeSql(create_sql);
      std::string module;
      for (size_t i = 0; i + 1 < tokens.size(); ++i)
        if (tokens[i].IsWord("USING")) module = tokens[i + 1].text;
      schema.unmodelled.push_back({t.name, fmt::format("virtual table (USING {})", module)});
      continue;
    }
    if (only && !only->contains(AsciiLower(t.name))) continue;
    std::string upper = AsciiUpper(create_sql);
    size_t close = upper.rfind(')');
    std::string options = close == std::string::npos ? "" : upper.substr(close);
    t.without_rowid = options.find("WITHOUT ROWID") != std::string::npos;
    t.strict = options.find("STRICT") != std::string::npos;
    Status s = InspectColumns(queries->columns, t, create_sql);
    if (s.ok()) s = InspectIndexes(*queries, t, *index_sql);
    if (s.ok()) {
      Result<std::vector<ForeignKey>> fks = ReadForeignKeys(queries->foreign_keys, t.name);
      if (fks.ok())
        t.foreign_keys = std::move(fks.value());
      else
        s = fks.status();
    }
    InspectCreateText(t, create_sql);
    if (!s.ok()) return s.WithContext(fmt::format("inspecting table \"{}\"", t.name));
    schema.tables.push_back(std::move(t));
  }
  // Triggers (of the tables read above) and views, in creation order.
  Result<Statement> objects =
      db.Prepare("SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('trigger', 'view') ORDER BY rowid");
  if (!objects.ok()) return objects.status();
  std::vector<std::pair<std::string, Trigger>> pending_view_triggers;  // view name, trigger
  std::map<std::string, size_t> table_at;  // lower-case name -> index in schema.tables
  for (size_t i = 0; i < schema.tables.size(); ++i) table_at[AsciiLower(schema.tables[i].name)] = i;
  for (;;) {
    Result<bool> row = objects->Step();
    if (!row.ok()) return row.status();
    if (!*row) break;
    if (objects->Text(0) == "view") {
      schema.views.push_back({objects->Text(1), objects->Text(3), {}, {}, {}});
      continue;
    }
    Trigger trigger{objects->Text(1), objects->Text(3), {}, {}};
    if (auto on = table_at.find(AsciiLower(objects->Text(2))); on != table_at.end())
      schema.tables[on->second].triggers.push_back(std::move(trigger));
    else  // an INSTEAD OF trigger belongs to its view, once all views are read
      pending_view_triggers.push_back({objects->Text(2), std::move(trigger)});
  }
  std::map<std::string, size_t> view_at;
  for (size_t i = 0; i < schema.views.size(); ++i) view_at[AsciiLower(schema.views[i].name)] = i;
  for (auto& [view, trigger] : pending_view_triggers)
    if (auto on = view_at.find(AsciiLower(view)); on != view_at.end())
      schema.views[on->second].triggers.push_back(std::move(trigger));
  return schema;
}

}  // namespace strata::sqlite
