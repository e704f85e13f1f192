#include "postgres/inspect.h"

#include <charconv>
#include <map>
#include <random>

#include <fmt/format.h>

#include "base/strings.h"
#include "diff/differ.h"
#include "postgres/history.h"
#include "postgres/planner.h"

namespace strata::postgres {

namespace {

// Name lists come back joined with the unit separator, which no sane
// identifier holds, rather than as array text that would need parsing.
constexpr char kSeparator = '\x1f';

std::vector<std::string> SplitNames(const std::string& joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  size_t start = 0;
  for (size_t at; (at = joined.find(kSeparator, start)) != std::string::npos; start = at + 1)
    out.push_back(joined.substr(start, at - start));
  out.push_back(joined.substr(start));
  return out;
}

// A catalog expression that joins the names of `attnums` (an int2 array of
// relation `rel`) in array order.
std::string AttributeNames(std::string_view attnums, std::string_view rel) {
  return fmt::format(
      "array_to_string(ARRAY(SELECT a.attname FROM unnest({0}) WITH ORDINALITY k(num, ord) JOIN pg_attribute a ON "
      "a.attrelid = {1} AND a.attnum = k.num ORDER BY k.ord), chr(31))",
      attnums, rel);
}

// Not part of an extension: its objects are the extension's, reported once
// under its name.
std::string NotFromExtension(std::string_view catalog, std::string_view oid) {
  return fmt::format("NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '{}'::regclass AND e.objid = {} AND "
                     "e.deptype = 'e')",
                     catalog, oid);
}

// The YAML type whose PostgreSQL spelling (types.h, ColumnType) is `pg`, so
// that what strata created reads back as what the YAML said; "" when the
// YAML has no such type.
std::string YamlType(const std::string& pg) {
  static const std::map<std::string, std::string, std::less<>> exact = {
      {"bigint", "INTEGER"},   {"smallint", "SMALLINT"},
      {"text", "TEXT"},        {"character varying", "VARCHAR"},
      {"double precision", "REAL"}, {"numeric", "NUMERIC"},
      {"boolean", "BOOLEAN"},  {"date", "DATE"},
      {"timestamp with time zone", "DATETIME"}, {"time without time zone", "TIME"},
      {"bytea", "BLOB"},       {"jsonb", "JSON"},
      {"uuid", "UUID"}};
  if (auto it = exact.find(pg); it != exact.end()) return it->second;
  const size_t open = pg.find('(');
  if (open == std::string::npos || pg.back() != ')') return "";
  const std::string base = pg.substr(0, open), params = pg.substr(open);
  if (base == "character varying") return "VARCHAR" + params;
  if (base == "character") return "CHAR" + params;
  if (base == "numeric") return "NUMERIC" + params;
  return "";
}

bool IsNumericType(std::string_view pg) {
  return pg == "bigint" || pg == "integer" || pg == "smallint" || pg == "double precision" || pg == "real" ||
         pg.starts_with("numeric");
}

// A default as pg_get_expr spells it, back to the literal the YAML would
// state ('active'::text -> "active", false, 0) or else SQL.
DefaultValue ParseDefault(const std::string& expr, const std::string& pg_type) {
  const std::string_view e = Trim(expr);
  if (e == "true" || e == "false") return DefaultValue::Literal(Value::Bool(e == "true"));
  if (e == "NULL" || e.starts_with("NULL::")) return DefaultValue::Literal(Value::Null());
  std::string text;
  bool literal = false;
  if (e.starts_with('\'')) {
    size_t i = 1;
    for (; i < e.size(); ++i) {
      if (e[i] != '\'') {
        text += e[i];
      } else if (i + 1 < e.size() && e[i + 1] == '\'') {
        text += '\'';
        ++i;
      } else {
        break;
      }
    }
    // Only a cast to a plain type name may follow: 'a'::text, not 'a'::text || 'b'.
    const std::string_view rest = i < e.size() ? e.substr(i + 1) : std::string_view("x");
    literal = rest.empty() ||
              (rest.starts_with("::") && rest.substr(2).find_first_of("|+-*/<>=!~,'") == std::string_view::npos);
  } else {
    text = std::string(e);
    literal = !text.empty() && text.find_first_not_of("-0123456789.e") == std::string::npos;
    if (!literal) return DefaultValue::Sql(std::string(e));
  }
  if (!literal) return DefaultValue::Sql(std::string(e));
  if (IsNumericType(pg_type) || !e.starts_with('\'')) {
    int64_t i = 0;
    if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), i);
        ec == std::errc() && end == text.data() + text.size())
      return DefaultValue::Literal(Value::Int(i));
    double d = 0;
    if (auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
        ec == std::errc() && end == text.data() + text.size())
      return DefaultValue::Literal(Value::Real(d));
  }
  return DefaultValue::Literal(Value::Text(std::move(text)));
}

FkAction ActionOf(const std::string& code) {
  switch (code.empty() ? 'a' : code[0]) {
    case 'r': return FkAction::kRestrict;
    case 'c': return FkAction::kCascade;
    case 'n': return FkAction::kSetNull;
    case 'd': return FkAction::kSetDefault;
    default: return FkAction::kNoAction;
  }
}

// "CHECK ((qty > 0)) NOT VALID" -> "(qty > 0)".
std::string CheckExpression(std::string def) {
  if (def.ends_with(" NOT VALID")) def.resize(def.size() - 10);
  if (def.starts_with("CHECK (") && def.ends_with(")")) return def.substr(7, def.size() - 8);
  return def;
}

// Whether `name` is PostgreSQL's or strata's name for an unnamed CHECK of
// `table` (planner.cc: <table>_check_<hash>; the server: <table>_check<n>).
bool IsDerivedCheckName(const std::string& table, const std::string& name) {
  const std::string prefix = table + "_check";
  if (!name.starts_with(prefix)) return false;
  const std::string rest = name.substr(prefix.size());
  if (rest.empty() || rest.find_first_not_of("0123456789") == std::string::npos) return true;
  return rest.size() == 9 && rest[0] == '_' && rest.find_first_not_of("0123456789abcdef", 1) == std::string::npos;
}

Column* FindColumn(Table& t, const std::string& name) {
  for (Column& c : t.columns)
    if (c.name == name) return &c;
  return nullptr;
}

struct TableEntry {
  size_t index;  // in Schema::tables
  std::map<int, std::string> columns;  // attnum -> name
};

}  // namespace

Result<Schema> InspectSchema(PgSession& session, const std::string& schema_name) {
  Result<PgResult> ns = session.Query(fmt::format(
      "SELECT oid FROM pg_namespace WHERE nspname = {}",
      schema_name.empty() ? std::string("current_schema()") : QuoteLiteral(schema_name)));
  if (!ns.ok()) return ns.status();
  if (ns->rows() == 0)
    return Status::Error(StatusCode::kNotFound,
                         schema_name.empty() ? "no schema of the search_path exists, so there is nothing to inspect"
                                             : fmt::format("schema \"{}\" does not exist", schema_name));
  const std::string nsp = ns->Text(0, 0);

  Schema schema;
  std::map<std::string, TableEntry> tables;  // by oid
  std::map<std::string, std::string> table_names;
  const auto unmodelled = [&](std::string name, std::string what) {
    schema.unmodelled.push_back({std::move(name), std::move(what)});
  };

  // Relations. Sequences a column owns (identity, serial) belong to it.
  Result<PgResult> rels = session.Query(fmt::format(
      "SELECT c.oid, c.relname, c.relkind, c.relispartition, quote_ident(c.relname), "
      "  CASE WHEN c.relkind = 'v' THEN pg_get_viewdef(c.oid, true) END, "
      "  (SELECT p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent WHERE i.inhrelid = c.oid LIMIT 1) "
      "FROM pg_class c WHERE c.relnamespace = {0} AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S') AND {1} "
      "AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND "
      "  d.objid = c.oid AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))) "
      "ORDER BY c.oid",
      nsp, NotFromExtension("pg_class", "c.oid")));
  if (!rels.ok()) return rels.status();
  for (int r = 0; r < rels->rows(); ++r) {
    const std::string oid = rels->Text(r, 0), name = rels->Text(r, 1), kind = rels->Text(r, 2);
    if (rels->Text(r, 3) == "t") {
      unmodelled(name, fmt::format("partition of \"{}\"", rels->Text(r, 6)));
    } else if (kind == "r") {
      if (name == kHistoryTable) continue;
      tables[oid] = {schema.tables.size(), {}};
      table_names[oid] = name;
      schema.tables.push_back({.name = name});
    } else if (kind == "v") {
      std::string body(Trim(rels->Text(r, 5)));
      if (body.ends_with(';')) body.pop_back();
      schema.views.push_back({.name = name, .sql = fmt::format("CREATE VIEW {} AS {}", rels->Text(r, 4), body)});
    } else if (kind == "p") {
      unmodelled(name, "partitioned table");
    } else if (kind == "m") {
      unmodelled(name, "materialized view");
    } else if (kind == "f") {
      unmodelled(name, "foreign table");
    } else {
      unmodelled(name, "sequence that no column owns");
    }
  }

  // Columns, in attnum order per table.
  Result<PgResult> cols = session.Query(fmt::format(
      "SELECT a.attrelid, a.attnum, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull, "
      "  pg_get_expr(d.adbin, d.adrelid), a.attidentity, a.attgenerated, "
      "  CASE WHEN a.attcollation <> t.typcollation THEN co.collname END, "
      "  a.attidentity = '' AND pg_get_serial_sequence(a.attrelid::regclass::text, a.attname) IS NOT NULL "
      "FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid "
      "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
      "LEFT JOIN pg_collation co ON co.oid = a.attcollation "
      "WHERE c.relnamespace = {} AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped "
      "ORDER BY a.attrelid, a.attnum",
      nsp));
  if (!cols.ok()) return cols.status();
  for (int r = 0; r < cols->rows(); ++r) {
    auto it = tables.find(cols->Text(r, 0));
    if (it == tables.end()) continue;
    Table& t = schema.tables[it->second.index];
    Column c;
    c.name = cols->Text(r, 2);
    it->second.columns[std::stoi(cols->Text(r, 1))] = c.name;
    const std::string pg_type = cols->Text(r, 3);
    c.type = YamlType(pg_type);
    if (c.type.empty()) {
      // text[] in the SQL standard's spelling, which the YAML takes.
      c.type = pg_type.ends_with("[]") ? pg_type.substr(0, pg_type.size() - 2) + " ARRAY" : pg_type;
      c.verbatim_type = true;
    }
    c.nullable = cols->Text(r, 4) != "t";
    const bool identity = !cols->Text(r, 6).empty(), serial = cols->Text(r, 9) == "t";
    c.autoincrement = identity || serial;
    if (!cols->IsNull(r, 5) && !serial) {
      if (cols->Text(r, 7) == "s")
        c.generated = Generated{cols->Text(r, 5), true};
      else
        c.default_value = ParseDefault(cols->Text(r, 5), pg_type);
    }
    if (!cols->IsNull(r, 8)) c.collation = cols->Text(r, 8) == "C" ? "BINARY" : cols->Text(r, 8);
    t.columns.push_back(std::move(c));
  }

  // Constraints, in a stable order: their names derive from their columns.
  Result<PgResult> cons = session.Query(fmt::format(
      "SELECT con.conrelid, con.conname, con.contype, {0}, rc.relname, {1}, con.confdeltype, con.confupdtype, "
      "  con.condeferrable AND con.condeferred, pg_get_constraintdef(con.oid, true), con.convalidated "
      "FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid LEFT JOIN pg_class rc ON rc.oid = con.confrelid "
      "WHERE c.relnamespace = {2} AND c.relkind = 'r' AND con.contype IN ('p', 'u', 'f', 'c', 'x') "
      "ORDER BY con.conrelid, con.contype, con.conname",
      AttributeNames("con.conkey", "con.conrelid"), AttributeNames("con.confkey", "con.confrelid"), nsp));
  if (!cons.ok()) return cons.status();
  for (int r = 0; r < cons->rows(); ++r) {
    auto it = tables.find(cons->Text(r, 0));
    if (it == tables.end()) continue;
    Table& t = schema.tables[it->second.index];
    const std::string name = cons->Text(r, 1), type = cons->Text(r, 2);
    const std::vector<std::string> columns = SplitNames(cons->Text(r, 3));
    Column* single = columns.size() == 1 ? FindColumn(t, columns[0]) : nullptr;
    if (cons->Text(r, 10) == "f") schema.unchecked.push_back({t.name, name});
    if (type == "p") {
      if (single)
        single->primary_key = true;
      else
        t.primary_key = columns;
    } else if (type == "u") {
      if (single && name == t.name + "_" + columns[0] + "_key")
        single->unique = true;
      else
        t.uniques.push_back({.columns = columns});
    } else if (type == "f") {
      t.foreign_keys.push_back({.columns = columns,
                                .ref_table = cons->Text(r, 4),
                                .ref_columns = SplitNames(cons->Text(r, 5)),
                                .on_delete = ActionOf(cons->Text(r, 6)),
                                .on_update = ActionOf(cons->Text(r, 7)),
                                .deferred = cons->Text(r, 8) == "t"});
    } else if (type == "c") {
      const std::string expr = CheckExpression(cons->Text(r, 9));
      if (single && name == t.name + "_" + columns[0] + "_check" && single->check.empty())
        single->check = expr;
      else
        t.checks.push_back({.name = IsDerivedCheckName(t.name, name) ? "" : name, .expr = expr});
    } else {
      unmodelled(name, fmt::format("exclusion constraint on \"{}\" ({})", t.name, cons->Text(r, 9)));
    }
  }

  // Indexes, one row per key; those behind a constraint are the constraint's.
  Result<PgResult> idx = session.Query(fmt::format(
      "SELECT i.indrelid, ic.relname, i.indisunique, am.amname, pg_get_expr(i.indpred, i.indrelid, true), "
      "  i.indnatts > i.indnkeyatts, i.indisvalid, k.n, i.indkey[k.n - 1], pg_get_indexdef(i.indexrelid, k.n, true), "
      "  i.indoption[k.n - 1], opc.opcdefault, "
      "  CASE WHEN i.indcollation[k.n - 1] NOT IN (0, coalesce(a.attcollation, 100)) THEN co.collname END "
      "FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid "
      "JOIN pg_am am ON am.oid = ic.relam CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) k(n) "
      "LEFT JOIN pg_opclass opc ON opc.oid = i.indclass[k.n - 1] "
      "LEFT JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[k.n - 1] "
      "LEFT JOIN pg_collation co ON co.oid = i.indcollation[k.n - 1] "
      "WHERE t.relnamespace = {} AND t.relkind = 'r' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE "
      "  c.conindid = i.indexrelid AND c.conrelid = i.indrelid AND c.contype IN ('p', 'u', 'x')) "
      "ORDER BY ic.relname, k.n",
      nsp));
  if (!idx.ok()) return idx.status();
  std::string skipped;  // an index already reported as unmodelled
  for (int r = 0; r < idx->rows(); ++r) {
    auto it = tables.find(idx->Text(r, 0));
    if (it == tables.end()) continue;
    Table& t = schema.tables[it->second.index];
    const std::string name = idx->Text(r, 1);
    if (name == skipped) continue;
    const int option = std::stoi(idx->Text(r, 10));
    const bool descending = (option & 1) != 0, nulls_first = (option & 2) != 0;
    std::string why;
    if (idx->Text(r, 6) != "t")
      why = "INVALID index (left by a CREATE INDEX CONCURRENTLY that failed; drop it and run the migration again)";
    else if (idx->Text(r, 3) != "btree")
      why = fmt::format("{} index", idx->Text(r, 3));
    else if (idx->Text(r, 5) == "t")
      why = "index with INCLUDE columns";
    else if (idx->Text(r, 11) != "t")
      why = "index with a non-default operator class";
    else if (descending != nulls_first)
      why = "index with a non-default NULLS order";
    if (!why.empty()) {
      // Drop the keys already read from it.
      if (!t.indexes.empty() && t.indexes.back().name == name) t.indexes.pop_back();
      unmodelled(name, fmt::format("{} on \"{}\"", why, t.name));
      skipped = name;
      continue;
    }
    if (idx->Text(r, 7) == "1")
      t.indexes.push_back({.name = name,
                           .unique = idx->Text(r, 2) == "t",
                           .where = idx->IsNull(r, 4) ? "" : idx->Text(r, 4)});
    IndexPart part;
    const int attnum = std::stoi(idx->Text(r, 8));
    if (attnum != 0)
      part.column = it->second.columns[attnum];
    else
      part.expression = idx->Text(r, 9);
    part.descending = descending;
    if (!idx->IsNull(r, 12)) part.collation = idx->Text(r, 12) == "C" ? "BINARY" : idx->Text(r, 12);
    t.indexes.back().parts.push_back(std::move(part));
  }

  // The rest of what the schema holds, by name.
  Result<PgResult> others = session.Query(fmt::format(
      "SELECT t.typname, CASE t.typtype WHEN 'e' THEN 'enum type' WHEN 'd' THEN 'domain' WHEN 'r' THEN 'range type' "
      "  WHEN 'm' THEN 'multirange type' ELSE 'composite type' END "
      "FROM pg_type t WHERE t.typnamespace = {0} AND {1} AND (t.typtype IN ('e', 'd', 'r') OR (t.typtype = 'c' AND "
      "  (SELECT relkind FROM pg_class WHERE oid = t.typrelid) = 'c')) "
      "UNION ALL SELECT p.proname, CASE p.prokind WHEN 'p' THEN 'procedure' WHEN 'a' THEN 'aggregate' ELSE 'function' END "
      "FROM pg_proc p WHERE p.pronamespace = {0} AND {2} "
      "UNION ALL SELECT tg.tgname, format('trigger on \"%s\" (function %s)', c.relname, p.proname) "
      "FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid JOIN pg_proc p ON p.oid = tg.tgfoid "
      "WHERE c.relnamespace = {0} AND NOT tg.tgisinternal "
      "UNION ALL SELECT x.extname, 'extension' FROM pg_extension x WHERE x.extnamespace = {0} "
      "ORDER BY 1",
      nsp, NotFromExtension("pg_type", "t.oid"), NotFromExtension("pg_proc", "p.oid")));
  if (!others.ok()) return others.status();
  for (int r = 0; r < others->rows(); ++r) unmodelled(others->Text(r, 0), others->Text(r, 1));
  return schema;
}

namespace {

// Ends the scratch transaction (or, inside the caller's transaction, the
// scratch savepoint) whatever happens: nothing of it stays.
class RollbackGuard {
 public:
  RollbackGuard(PgSession& session, bool savepoint) : session_(session), savepoint_(savepoint) {}
  ~RollbackGuard() {
    (void)session_.Exec(savepoint_ ? "ROLLBACK TO SAVEPOINT strata_expected; RELEASE SAVEPOINT strata_expected"
                                   : "ROLLBACK");
  }
  RollbackGuard(const RollbackGuard&) = delete;
  RollbackGuard& operator=(const RollbackGuard&) = delete;

 private:
  PgSession& session_;
  bool savepoint_;
};

}  // namespace

Result<Schema> AsInspected(PgSession& session, const Schema& declared) {
  // Only what inspection can show: data and SQL the server keeps elsewhere go.
  Schema shape;
  shape.views = declared.views;
  for (Table t : declared.tables) {
    t.rows.clear();
    t.data_fixes.clear();
    t.data_checks.clear();
    t.triggers.clear();
    shape.tables.push_back(std::move(t));
  }
  for (View& v : shape.views) v.triggers.clear();

  std::random_device random;
  const std::string scratch = fmt::format("strata_expected_{:08x}{:08x}", random(), random());
  Result<std::string> path = session.QueryString("SHOW search_path");
  if (!path.ok()) return path.status();
  // A read-only session's default is overridden for this transaction only:
  // it is rolled back, so it writes nothing.
  const bool nested = session.in_transaction();
  if (Status s = session.Exec(nested ? "SAVEPOINT strata_expected" : "BEGIN READ WRITE"); !s.ok()) return s;
  RollbackGuard rollback(session, nested);
  if (Status s = session.Exec(fmt::format("CREATE SCHEMA {0}; SET LOCAL search_path = {0}, {1}", QuoteIdent(scratch),
                                          path->empty() ? std::string("public") : *path));
      !s.ok())
    return Status::Error(s.code(), fmt::format("creating the expected schema in a scratch schema (rolled back) "
                                               "needs the CREATE privilege on the database: {}",
                                               s.message()));
  const Schema nothing;
  const Plan plan = PlanChanges(nothing, shape, Diff(nothing, shape), {});
  for (const Step& step : plan.steps)
    for (const std::string& sql : step.sql)
      if (Status s = session.Exec(sql); !s.ok())
        return Status::Error(s.code(), fmt::format("the schema cannot be created on this server: {}\n  statement: {}",
                                                   s.message(), OneLine(sql).substr(0, 200)));
  return InspectSchema(session, scratch);
}

}  // namespace strata::postgres
