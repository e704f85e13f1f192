#include "postgres/explain.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <functional>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/strings.h"

namespace strata::postgres {

namespace {

// ---------------------------------------------------------------------------
// Lexing: enough of PostgreSQL's rules to number a declared query's
// placeholders and to read the expressions EXPLAIN prints (which the
// server deparses in one regular form). The server does all real parsing.

struct Token {
  enum Type { kWord, kQuoted, kString, kNumber, kParam, kPlaceholder, kOperator, kPunct };
  Type type = kPunct;
  std::string text;  // as written; a quoted identifier without its quotes
  size_t begin = 0;  // byte range in the source
  size_t end = 0;
};

bool IsIdentStart(char c) {
  return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) || c == '$'; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsOperatorChar(char c) { return std::string_view("+-*/<>=~!@#%^&|`?").find(c) != std::string_view::npos; }

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  const auto at = [&](size_t k) { return k < s.size() ? s[k] : '\0'; };
  const auto push = [&](Token::Type type, size_t start, std::string text) {
    out.push_back({type, std::move(text), start, i});
  };
  while (i < s.size()) {
    const char c = s[i];
    const char next = at(i + 1);
    const size_t start = i;
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '-' && next == '-') {
      i = s.find('\n', i);
      if (i == std::string_view::npos) i = s.size();
    } else if (c == '/' && next == '*') {
      i += 2;
      for (int depth = 1; i < s.size() && depth > 0;) {
        if (s[i] == '/' && at(i + 1) == '*') {
          ++depth;
          i += 2;
        } else if (s[i] == '*' && at(i + 1) == '/') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
    } else if (c == '\'' || ((c == 'E' || c == 'e') && next == '\'')) {
      const bool escapes = c != '\'';
      i += escapes ? 2 : 1;
      while (i < s.size()) {
        if (escapes && s[i] == '\\') {
          i += 2;
        } else if (s[i] == '\'') {
          ++i;
          if (at(i) != '\'') break;
          ++i;
        } else {
          ++i;
        }
      }
      i = std::min(i, s.size());
      push(Token::kString, start, std::string(s.substr(start, i - start)));
    } else if (c == '"') {
      std::string name;
      for (++i; i < s.size(); ++i) {
        if (s[i] == '"') {
          if (at(i + 1) != '"') {
            ++i;
            break;
          }
          ++i;
        }
        name += s[i];
      }
      push(Token::kQuoted, start, std::move(name));
    } else if (c == '$' && IsDigit(next)) {
      for (++i; IsDigit(at(i));) ++i;
      push(Token::kParam, start, std::string(s.substr(start, i - start)));
    } else if (c == '$') {
      // A dollar-quoted string ($$...$$, $tag$...$tag$), or a lone '$'.
      size_t j = i + 1;
      while (j < s.size() && IsIdentChar(s[j]) && s[j] != '$') ++j;
      if (at(j) == '$') {
        const std::string_view tag = s.substr(i, j - i + 1);
        const size_t close = s.find(tag, j + 1);
        i = close == std::string_view::npos ? s.size() : close + tag.size();
        push(Token::kString, start, std::string(s.substr(start, i - start)));
      } else {
        ++i;
        push(Token::kOperator, start, "$");
      }
    } else if (c == '?' && next != '|' && next != '&') {
      // SQLite's `?` and `?NNN` (PostgreSQL's jsonb `?|` and `?&` are operators).
      for (++i; IsDigit(at(i));) ++i;
      push(Token::kPlaceholder, start, std::string(s.substr(start, i - start)));
    } else if (c == ':' && next == ':') {
      i += 2;
      push(Token::kPunct, start, "::");
    } else if (c == ':' && IsIdentStart(next) &&
               (start == 0 || !(IsIdentChar(s[start - 1]) || s[start - 1] == ']' || s[start - 1] == ')'))) {
      // SQLite's `:name`; `a[lo:hi]` (no space before the colon) is a slice.
      for (++i; IsIdentChar(at(i)) && at(i) != '$';) ++i;
      push(Token::kPlaceholder, start, std::string(s.substr(start, i - start)));
    } else if (IsIdentStart(c)) {
      while (IsIdentChar(at(i))) ++i;
      push(Token::kWord, start, std::string(s.substr(start, i - start)));
    } else if (IsDigit(c) || (c == '.' && IsDigit(next))) {
      while (IsDigit(at(i)) || at(i) == '.') ++i;
      if ((at(i) == 'e' || at(i) == 'E') && (IsDigit(at(i + 1)) || ((at(i + 1) == '+' || at(i + 1) == '-') && IsDigit(at(i + 2))))) {
        i += 2;
        while (IsDigit(at(i))) ++i;
      }
      push(Token::kNumber, start, std::string(s.substr(start, i - start)));
    } else if (IsOperatorChar(c)) {
      while (IsOperatorChar(at(i)) && !(at(i) == '-' && at(i + 1) == '-') && !(at(i) == '/' && at(i + 1) == '*')) ++i;
      push(Token::kOperator, start, std::string(s.substr(start, i - start)));
    } else {
      ++i;
      push(Token::kPunct, start, std::string(1, c));
    }
  }
  return out;
}

bool IsWord(const Token& t, std::string_view upper) { return t.type == Token::kWord && EqualsIgnoreCase(t.text, upper); }

// True when the query says GROUP BY: a hash aggregate then groups, and
// otherwise removes duplicates (DISTINCT, UNION, IN (subquery)).
bool HasGroupBy(const std::vector<Token>& tokens) {
  for (size_t i = 0; i + 1 < tokens.size(); ++i)
    if (IsWord(tokens[i], "GROUP") && IsWord(tokens[i + 1], "BY")) return true;
  return false;
}

std::string TrimStatement(std::string_view sql) {
  std::string_view t = Trim(sql);
  while (!t.empty() && t.back() == ';') t = Trim(t.substr(0, t.size() - 1));
  return std::string(t);
}

// ---------------------------------------------------------------------------
// Talking to the server.

// The SQLSTATE a PgSession error carries in its message, or "".
std::string SqlState(const Status& s) {
  const std::string_view m = s.message();
  const size_t at = m.rfind("(SQLSTATE ");
  return at == std::string_view::npos || at + 15 > m.size() ? std::string() : std::string(m.substr(at + 10, 5));
}

// Runs one statement through the extended protocol, `text` as $1 when
// given. Unlike a simple query, it refuses a string holding several
// statements, so text from the schema can never run more than the one.
Result<PgResult> RunOne(PgSession& session, const std::string& sql, const std::optional<std::string>& text = std::nullopt) {
  const char* values[1] = {text ? text->c_str() : nullptr};
  PgResult result(Pq().PQexecParams(session.handle(), sql.c_str(), text ? 1 : 0, nullptr, text ? values : nullptr, nullptr,
                               nullptr, 0));
  const ExecStatusType status = result.get() ? Pq().PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* primary = result.get() ? Pq().PQresultErrorField(result.get(), PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = primary ? primary : std::string(Trim(Pq().PQerrorMessage(session.handle())));
  if (const char* state = result.get() ? Pq().PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr)
    message += fmt::format(" (SQLSTATE {})", state);
  return Status::Database(message);
}

// A transaction that is always rolled back: nothing done in it is kept.
class RolledBackTransaction {
 public:
  explicit RolledBackTransaction(PgSession& session) : session_(session) {}
  RolledBackTransaction(const RolledBackTransaction&) = delete;
  RolledBackTransaction& operator=(const RolledBackTransaction&) = delete;
  ~RolledBackTransaction() {
    if (open_) (void)session_.Exec("ROLLBACK");
  }
  Status Begin() {
    Status s = session_.Exec("BEGIN");
    open_ = s.ok();
    return s;
  }

 private:
  PgSession& session_;
  bool open_ = false;
};

// ---------------------------------------------------------------------------
// Plans, as the server's JSON parser reads them.

struct PlanNode {
  int parent = -1;            // index of the parent node, -1 for the root
  std::string relationship;   // "Outer", "Inner", "InitPlan", "SubPlan", "Member", ...
  std::string type;           // "Seq Scan", "Index Scan", "Sort", ...
  std::string subplan;        // "InitPlan 1 (returns $0)"
  std::string relation, alias, index, strategy, join_type, direction, operation, cte, function, command;
  bool parallel = false;
  std::string index_cond, recheck_cond, filter, join_filter, hash_cond, merge_cond, one_time_filter;
  std::vector<std::string> sort_key, presorted_key, group_key;
};

// Every node of an EXPLAIN (FORMAT JSON) document, depth first (the order
// EXPLAIN prints them), read by the server: the JSON goes back to it as a
// parameter and a recursive query walks the "Plans" arrays.
constexpr const char* kReadPlanSql = R"(
WITH RECURSIVE node(path, parent_path, n) AS (
  SELECT ARRAY[1], NULL::int[], $1::jsonb -> 0 -> 'Plan'
  UNION ALL
  SELECT node.path || child.i::int, node.path, child.value
  FROM node CROSS JOIN LATERAL jsonb_array_elements(node.n -> 'Plans') WITH ORDINALITY AS child(value, i)
)
SELECT array_to_string(path, '.'), coalesce(array_to_string(parent_path, '.'), ''),
       coalesce(n ->> 'Node Type', ''), coalesce(n ->> 'Parent Relationship', ''), coalesce(n ->> 'Subplan Name', ''),
       coalesce(n ->> 'Relation Name', ''), coalesce(n ->> 'Alias', ''), coalesce(n ->> 'Index Name', ''),
       coalesce(n ->> 'Strategy', ''), coalesce(n ->> 'Join Type', ''), coalesce(n ->> 'Scan Direction', ''),
       coalesce(n ->> 'Operation', ''), coalesce(n ->> 'CTE Name', ''), coalesce(n ->> 'Function Name', ''),
       coalesce(n ->> 'Command', ''), coalesce(n ->> 'Parallel Aware', 'false'),
       coalesce(n ->> 'Index Cond', ''), coalesce(n ->> 'Recheck Cond', ''), coalesce(n ->> 'Filter', ''),
       coalesce(n ->> 'Join Filter', ''), coalesce(n ->> 'Hash Cond', ''), coalesce(n ->> 'Merge Cond', ''),
       coalesce(n ->> 'One-Time Filter', ''),
       array_to_string(ARRAY(SELECT jsonb_array_elements_text(n -> 'Sort Key')), E'\x1f'),
       array_to_string(ARRAY(SELECT jsonb_array_elements_text(n -> 'Presorted Key')), E'\x1f'),
       array_to_string(ARRAY(SELECT jsonb_array_elements_text(n -> 'Group Key')), E'\x1f')
FROM node ORDER BY path)";

std::vector<std::string> SplitKeys(const std::string& joined) {
  std::vector<std::string> out;
  if (joined.empty()) return out;
  size_t from = 0;
  for (size_t at; (at = joined.find('\x1f', from)) != std::string::npos; from = at + 1) out.push_back(joined.substr(from, at - from));
  out.push_back(joined.substr(from));
  return out;
}

Result<std::vector<PlanNode>> ReadPlan(PgSession& session, const std::string& json) {
  Result<PgResult> rows = RunOne(session, kReadPlanSql, json);
  if (!rows.ok()) return rows.status();
  std::vector<PlanNode> nodes;
  std::map<std::string, int> index_of_path;
  for (int r = 0; r < rows->rows(); ++r) {
    const auto text = [&](int column) { return rows->Text(r, column); };
    PlanNode n;
    if (auto parent = index_of_path.find(text(1)); parent != index_of_path.end()) n.parent = parent->second;
    n.type = text(2);
    n.relationship = text(3);
    n.subplan = text(4);
    n.relation = text(5);
    n.alias = text(6);
    n.index = text(7);
    n.strategy = text(8);
    n.join_type = text(9);
    n.direction = text(10);
    n.operation = text(11);
    n.cte = text(12);
    n.function = text(13);
    n.command = text(14);
    n.parallel = text(15) == "true";
    n.index_cond = text(16);
    n.recheck_cond = text(17);
    n.filter = text(18);
    n.join_filter = text(19);
    n.hash_cond = text(20);
    n.merge_cond = text(21);
    n.one_time_filter = text(22);
    n.sort_key = SplitKeys(text(23));
    n.presorted_key = SplitKeys(text(24));
    n.group_key = SplitKeys(text(25));
    index_of_path[text(0)] = static_cast<int>(nodes.size());
    nodes.push_back(std::move(n));
  }
  return nodes;
}

// The first line EXPLAIN's text format prints for the node, then its
// conditions: "Index Scan using users_email_key on users (Index Cond: (email = $1))".
std::string Detail(const PlanNode& n) {
  const std::string on =
      n.relation.empty() ? "" : " on " + n.relation + (n.alias.empty() || n.alias == n.relation ? "" : " " + n.alias);
  const std::string backward = n.direction == "Backward" ? " Backward" : "";
  std::string head;
  if (n.type == "Index Scan" || n.type == "Index Only Scan") {
    head = n.type + backward + " using " + n.index + on;
  } else if (n.type == "Bitmap Index Scan") {
    head = n.type + " on " + n.index;
  } else if (n.type == "Aggregate") {
    head = n.strategy == "Hashed"   ? "HashAggregate"
           : n.strategy == "Sorted" ? "GroupAggregate"
           : n.strategy == "Mixed"  ? "MixedAggregate"
                                    : "Aggregate";
  } else if (n.type == "SetOp") {
    head = (n.strategy == "Hashed" ? "HashSetOp " : "SetOp ") + n.command;
  } else if ((n.type == "Nested Loop" || n.type == "Hash Join" || n.type == "Merge Join") && !n.join_type.empty() &&
             n.join_type != "Inner") {
    const std::string join = n.join_type + " Join";
    head = n.type == "Nested Loop" ? "Nested Loop " + join : n.type == "Hash Join" ? "Hash " + join : "Merge " + join;
  } else if (n.type == "ModifyTable") {
    head = n.operation + on;
  } else if (n.type == "CTE Scan") {
    head = "CTE Scan on " + n.cte + (n.alias.empty() || n.alias == n.cte ? "" : " " + n.alias);
  } else if (n.type == "Function Scan") {
    head = "Function Scan on " + n.function + (n.alias.empty() || n.alias == n.function ? "" : " " + n.alias);
  } else if (n.type == "Subquery Scan") {
    head = "Subquery Scan on " + n.alias;
  } else {
    head = n.type + on;
  }
  if (n.parallel) head = "Parallel " + head;
  if (!n.subplan.empty()) head = n.subplan + ": " + head;
  std::vector<std::string> parts;
  const auto add = [&](std::string_view label, const std::string& value) {
    if (!value.empty()) parts.push_back(fmt::format("{}: {}", label, value));
  };
  const auto add_keys = [&](std::string_view label, const std::vector<std::string>& keys) {
    if (!keys.empty()) parts.push_back(fmt::format("{}: {}", label, fmt::join(keys, ", ")));
  };
  add("Index Cond", n.index_cond);
  add("Recheck Cond", n.recheck_cond);
  add("Hash Cond", n.hash_cond);
  add("Merge Cond", n.merge_cond);
  add("Join Filter", n.join_filter);
  add("Filter", n.filter);
  add("One-Time Filter", n.one_time_filter);
  add_keys("Sort Key", n.sort_key);
  add_keys("Presorted Key", n.presorted_key);
  add_keys("Group Key", n.group_key);
  if (parts.empty()) return head;
  return fmt::format("{} ({})", head, fmt::join(parts, "; "));
}

std::vector<int> ChildrenOf(const std::vector<PlanNode>& nodes, int parent) {
  std::vector<int> out;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].parent == parent) out.push_back(static_cast<int>(i));
  return out;
}

// What a sort or hash table is built for, from the node that consumes it
// and the node that feeds it.
std::string SortPurpose(const std::vector<PlanNode>& nodes, int i, bool group_by) {
  const PlanNode& n = nodes[i];
  const std::vector<int> children = ChildrenOf(nodes, i);
  const bool over_append = !children.empty() && (nodes[children[0]].type == "Append" || nodes[children[0]].type == "Merge Append");
  if (n.type == "Aggregate") return group_by ? "GROUP BY" : over_append ? "UNION" : "DISTINCT";
  if (n.parent < 0) return "ORDER BY";
  const PlanNode& consumer = nodes[n.parent];
  if (consumer.type == "Aggregate" || consumer.type == "Group") return "GROUP BY";
  if (consumer.type == "Unique") return over_append ? "UNION" : "DISTINCT";
  if (consumer.type == "WindowAgg") return "WINDOW";
  if (consumer.type == "Merge Join") return "MERGE JOIN";
  if (consumer.type == "SetOp") return AsciiUpper(consumer.command.substr(0, consumer.command.find(' ')));
  return "ORDER BY";
}

// What classifying an index step needs to know of the index.
struct IndexFacts {
  std::string method;        // "btree", "hash", "gin", ...
  std::string first_column;  // "" when the first key is an expression
  bool primary_key = false;  // the index of a PRIMARY KEY constraint
};

std::vector<std::pair<std::string, std::string>> ColumnsNamed(const std::string& expression);

// Whether the node's index condition searches its index rather than
// filtering every entry: a B-tree is searched by a condition on its first
// column; with conditions on later columns only, PostgreSQL reads the
// whole index and tests each entry.
bool SearchesIndex(const PlanNode& n, const std::map<std::string, IndexFacts>& indexes) {
  if (n.index_cond.empty()) return false;
  auto facts = indexes.find(n.index);
  if (facts == indexes.end() || facts->second.method != "btree" || facts->second.first_column.empty()) return true;
  // The indexed side is printed unqualified (or with the node's alias);
  // a qualified name on the other side is another relation's column.
  for (const auto& [qualifier, column] : ColumnsNamed(n.index_cond))
    if (column == facts->second.first_column && (qualifier.empty() || qualifier == n.alias)) return true;
  return false;
}

// The plan's steps, one per node with its id (1, 2, ... depth first) and
// its parent's (0 for the root).
std::vector<PlanStep> Classify(const std::vector<PlanNode>& nodes, const std::map<std::string, IndexFacts>& indexes,
                               bool group_by) {
  using Kind = PlanStep::Kind;
  const auto is_key = [&](const std::string& index) {
    auto facts = indexes.find(index);
    return facts != indexes.end() && facts->second.primary_key;
  };
  std::vector<PlanStep> steps;
  for (size_t i = 0; i < nodes.size(); ++i) {
    const PlanNode& n = nodes[i];
    PlanStep s;
    s.id = static_cast<int>(i) + 1;
    s.parent = n.parent + 1;
    s.detail = Detail(n);
    s.table = n.relation;
    s.kind = Kind::kOther;
    if (n.type == "Seq Scan") {
      s.kind = Kind::kScan;
    } else if (n.type == "Index Scan" || n.type == "Index Only Scan") {
      s.index = n.index;
      if (!SearchesIndex(n, indexes)) {
        s.kind = Kind::kIndexScan;
      } else if (is_key(n.index)) {
        s.kind = Kind::kKeySearch;
      } else {
        s.kind = n.type == "Index Only Scan" ? Kind::kCoveringSearch : Kind::kSearch;
      }
    } else if (n.type == "Bitmap Heap Scan") {
      // The table is read through the bitmap its Bitmap Index Scans build
      // (several under a BitmapAnd or BitmapOr); a search when each of them
      // searches its index.
      std::vector<std::string> used;
      bool all_search = true, all_keys = true;
      std::vector<int> pending = ChildrenOf(nodes, static_cast<int>(i));
      while (!pending.empty()) {
        const int c = pending.back();
        pending.pop_back();
        if (nodes[c].type == "Bitmap Index Scan") {
          if (std::find(used.begin(), used.end(), nodes[c].index) == used.end()) used.push_back(nodes[c].index);
          all_search = all_search && SearchesIndex(nodes[c], indexes);
          all_keys = all_keys && is_key(nodes[c].index);
        }
        for (int grandchild : ChildrenOf(nodes, c)) pending.push_back(grandchild);
      }
      std::sort(used.begin(), used.end());
      s.index = fmt::format("{}", fmt::join(used, ", "));
      s.kind = used.empty()   ? Kind::kOther
               : !all_search ? Kind::kIndexScan
               : all_keys    ? Kind::kKeySearch
                             : Kind::kSearch;
    } else if (n.type == "Bitmap Index Scan") {
      s.index = n.index;  // its Bitmap Heap Scan is the step that reads the table
    } else if (n.type == "Sort") {
      s.kind = Kind::kTempBTree;
      s.temp_for = SortPurpose(nodes, static_cast<int>(i), group_by);
    } else if (n.type == "Incremental Sort") {
      // Sorts only within groups its input already has in order: SQLite's
      // "temp b-tree for RIGHT PART OF ORDER BY".
      s.kind = Kind::kTempBTree;
      s.temp_for = "RIGHT PART OF " + SortPurpose(nodes, static_cast<int>(i), group_by);
    } else if (n.type == "Aggregate" && (n.strategy == "Hashed" || n.strategy == "Mixed")) {
      s.kind = Kind::kTempBTree;
      s.temp_for = SortPurpose(nodes, static_cast<int>(i), group_by);
    }
    steps.push_back(std::move(s));
  }
  return steps;
}

// Nodes that read all of their input before returning a row: a LIMIT
// above them does not stop the scan below them early.
bool ConsumesAllInput(const PlanNode& n) {
  return n.type == "Sort" || n.type == "Hash" || n.type == "Materialize" || n.type == "SetOp" ||
         (n.type == "Aggregate" && n.strategy != "Sorted");
}

// Whether a LIMIT stops the node early: one is above it with nothing in
// between that reads everything first, and the node is not the inner side
// of a nested loop (read again for every outer row) or a subplan.
bool StoppedByLimit(const std::vector<PlanNode>& nodes, int i) {
  for (int at = i; nodes[at].parent >= 0; at = nodes[at].parent) {
    const PlanNode& child = nodes[at];
    const PlanNode& parent = nodes[child.parent];
    if (child.relationship == "InitPlan" || child.relationship == "SubPlan") return false;
    if (parent.type == "Limit") return true;
    if (ConsumesAllInput(parent) || (parent.type == "Nested Loop" && child.relationship == "Inner")) return false;
  }
  return false;
}

struct Plan {
  std::vector<PlanNode> nodes;
  std::vector<PlanStep> steps;  // one per node, same order
};

// Tables the plan reads every row of: a sequential scan, or an index
// walked end to end that no LIMIT stops.
std::vector<std::string> TablesReadWhole(const Plan& plan) {
  std::vector<std::string> out;
  for (size_t i = 0; i < plan.steps.size(); ++i) {
    const PlanStep& s = plan.steps[i];
    // A bitmap is built in full before the first row comes out: no LIMIT
    // stops a Bitmap Heap Scan's index reads early.
    const bool whole = s.kind == PlanStep::Kind::kScan ||
                       (s.kind == PlanStep::Kind::kIndexScan &&
                        (plan.nodes[i].type == "Bitmap Heap Scan" || !StoppedByLimit(plan.nodes, static_cast<int>(i))));
    if (whole && !s.table.empty() && std::find(out.begin(), out.end(), s.table) == out.end()) out.push_back(s.table);
  }
  return out;
}

bool Searched(const Plan& plan, const std::string& table) {
  return std::any_of(plan.steps.begin(), plan.steps.end(), [&](const PlanStep& s) {
    return s.table == table && (s.kind == PlanStep::Kind::kSearch || s.kind == PlanStep::Kind::kCoveringSearch ||
                                s.kind == PlanStep::Kind::kKeySearch);
  });
}

// ---------------------------------------------------------------------------
// Candidate indexes for a table a query reads in full, from the conditions
// and sort keys EXPLAIN prints for that scan. They are guesses; the server
// decides which of them, if any, helps.

struct ColumnRef {
  std::string qualifier;  // "" when the plan does not qualify names
  std::string column;
  size_t first = 0, last = 0;  // token positions
};

bool IsExpressionKeyword(const Token& t) {
  static const std::set<std::string> kWords = {
      "AND",          "OR",           "NOT",       "IS",        "NULL",         "TRUE",        "FALSE",
      "ANY",          "ALL",          "SOME",      "ARRAY",     "CASE",         "WHEN",        "THEN",
      "ELSE",         "END",          "IN",        "LIKE",      "ILIKE",        "BETWEEN",     "DISTINCT",
      "FROM",         "COLLATE",      "ASC",       "DESC",      "NULLS",        "FIRST",       "LAST",
      "USING",        "EXISTS",       "ROW",       "SUBPLAN",   "HASHED",       "INITPLAN",    "CURRENT_DATE",
      "CURRENT_TIME", "CURRENT_TIMESTAMP", "LOCALTIME", "LOCALTIMESTAMP", "CURRENT_USER", "SESSION_USER", "USER"};
  return t.type == Token::kWord && kWords.count(AsciiUpper(t.text)) > 0;
}

// Token positions that spell a cast's type (`::timestamp with time zone`),
// which are not column names.
std::vector<bool> CastTypeTokens(const std::vector<Token>& t) {
  static const std::set<std::string> kTypeWords = {"VARYING", "PRECISION", "WITH", "WITHOUT", "TIME", "ZONE"};
  std::vector<bool> out(t.size(), false);
  for (size_t i = 0; i < t.size(); ++i) {
    if (t[i].text != "::" || t[i].type != Token::kPunct) continue;
    size_t j = i + 1;
    const auto name_part = [&](size_t k) { return k < t.size() && (t[k].type == Token::kWord || t[k].type == Token::kQuoted); };
    if (!name_part(j)) continue;
    out[j++] = true;
    while (j + 1 < t.size() && t[j].text == "." && name_part(j + 1)) {
      out[j] = true;
      out[j + 1] = true;
      j += 2;
    }
    while (j < t.size() && t[j].type == Token::kWord && kTypeWords.count(AsciiUpper(t[j].text))) out[j++] = true;
    if (j < t.size() && t[j].text == "(") {
      while (j < t.size() && t[j].text != ")") out[j++] = true;
      if (j < t.size()) out[j++] = true;
    }
    while (j + 1 < t.size() && t[j].text == "[" && t[j + 1].text == "]") {
      out[j] = true;
      out[j + 1] = true;
      j += 2;
    }
  }
  return out;
}

// The column reference made of the tokens starting at `i`: `name` or
// `qualifier.name`, not a function call, keyword or type.
std::optional<ColumnRef> RefAt(const std::vector<Token>& t, const std::vector<bool>& cast, size_t i) {
  const auto name_part = [&](size_t k) {
    return k < t.size() && !cast[k] && (t[k].type == Token::kQuoted || (t[k].type == Token::kWord && !IsExpressionKeyword(t[k])));
  };
  if (!name_part(i)) return std::nullopt;
  ColumnRef ref;
  ref.first = i;
  if (i + 2 < t.size() && t[i + 1].text == "." && name_part(i + 2)) {
    ref.qualifier = t[i].text;
    ref.column = t[i + 2].text;
    ref.last = i + 2;
  } else {
    ref.column = t[i].text;
    ref.last = i;
  }
  if (ref.last + 1 < t.size() && t[ref.last + 1].text == "(") return std::nullopt;  // a function
  if (ref.last + 1 < t.size() && t[ref.last + 1].text == ".") return std::nullopt;  // a qualifier of something longer
  return ref;
}

// The column reference that ends at token `last`, if any.
std::optional<ColumnRef> RefEndingAt(const std::vector<Token>& t, const std::vector<bool>& cast, size_t last) {
  if (last >= 2 && t[last - 1].text == ".")
    if (std::optional<ColumnRef> r = RefAt(t, cast, last - 2); r && r->last == last) return r;
  if (std::optional<ColumnRef> r = RefAt(t, cast, last); r && r->last == last && (last == 0 || t[last - 1].text != "."))
    return r;
  return std::nullopt;
}

// The columns an expression mentions: (qualifier or "", name).
std::vector<std::pair<std::string, std::string>> ColumnsNamed(const std::string& expression) {
  const std::vector<Token> t = Tokenize(expression);
  const std::vector<bool> cast = CastTypeTokens(t);
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t i = 0; i < t.size(); ++i)
    if (std::optional<ColumnRef> ref = RefAt(t, cast, i)) {
      out.emplace_back(ref->qualifier, ref->column);
      i = ref->last;
    }
  return out;
}

void AddOnce(std::vector<std::string>& v, const std::string& c) {
  if (std::find(v.begin(), v.end(), c) == v.end()) v.push_back(c);
}

// The scanned table as the plan names it: its alias qualifies its columns
// when the plan reads several relations.
struct ScanTarget {
  std::string alias;
  const std::set<std::string>* columns = nullptr;
  bool Owns(const ColumnRef& r) const {
    return (r.qualifier.empty() || r.qualifier == alias) && columns->count(r.column) > 0;
  }
};

bool IsComparison(const Token& t) {
  return t.type == Token::kOperator && (t.text == "<" || t.text == ">" || t.text == "<=" || t.text == ">=");
}

void AddTerms(const std::string& expression, const ScanTarget& target, QueryTerms& terms) {
  const std::vector<Token> t = Tokenize(expression);
  const std::vector<bool> cast = CastTypeTokens(t);
  for (size_t i = 0; i < t.size(); ++i) {
    std::optional<ColumnRef> ref = RefAt(t, cast, i);
    if (!ref) continue;
    i = ref->last;
    if (!target.Owns(*ref)) continue;
    const size_t after = ref->last + 1;
    if (after < t.size() && t[after].type == Token::kOperator && t[after].text == "=") {
      std::optional<ColumnRef> other = RefAt(t, cast, after + 1);
      if (!other) {
        AddOnce(terms.equality, ref->column);  // a value, a parameter, or `= ANY (...)`
      } else if (!target.Owns(*other)) {
        AddOnce(terms.join, ref->column);
      }
    } else if (after < t.size() && IsComparison(t[after])) {
      AddOnce(terms.range, ref->column);
    } else if (after + 1 < t.size() && IsWord(t[after], "IS") && IsWord(t[after + 1], "NULL")) {
      AddOnce(terms.equality, ref->column);  // a B-tree searches IS NULL like a value
    } else if (ref->first >= 1 && t[ref->first - 1].type == Token::kOperator && t[ref->first - 1].text == "=") {
      std::optional<ColumnRef> other = ref->first >= 2 ? RefEndingAt(t, cast, ref->first - 2) : std::nullopt;
      if (!other) {
        AddOnce(terms.equality, ref->column);
      } else if (!target.Owns(*other)) {
        AddOnce(terms.join, ref->column);
      }
    } else if (ref->first >= 1 && IsComparison(t[ref->first - 1])) {
      AddOnce(terms.range, ref->column);
    }
  }
}

QueryTerms TermsFor(const Plan& plan, int scan, const std::set<std::string>& columns) {
  QueryTerms terms;
  const PlanNode& node = plan.nodes[scan];
  const ScanTarget target{node.alias.empty() ? node.relation : node.alias, &columns};
  AddTerms(node.filter, target, terms);
  AddTerms(node.index_cond, target, terms);
  // Join conditions sit on the joins above the scan.
  for (int at = node.parent; at >= 0; at = plan.nodes[at].parent) {
    const PlanNode& n = plan.nodes[at];
    AddTerms(n.hash_cond, target, terms);
    AddTerms(n.merge_cond, target, terms);
    AddTerms(n.join_filter, target, terms);
  }
  // The nearest sort above it, when it sorts by this table's columns only.
  for (int at = node.parent; at >= 0; at = plan.nodes[at].parent) {
    const PlanNode& n = plan.nodes[at];
    if (n.type != "Sort" && n.type != "Incremental Sort") continue;
    std::vector<std::string> order;
    for (const std::string& key : n.sort_key) {
      std::vector<Token> t = Tokenize(key);
      while (!t.empty() && (IsWord(t.back(), "DESC") || IsWord(t.back(), "ASC") || IsWord(t.back(), "FIRST") ||
                            IsWord(t.back(), "LAST") || IsWord(t.back(), "NULLS")))
        t.pop_back();
      const std::vector<bool> cast = CastTypeTokens(t);
      std::optional<ColumnRef> ref = t.empty() ? std::nullopt : RefAt(t, cast, 0);
      if (!ref || ref->last + 1 != t.size() || !target.Owns(*ref)) {
        order.clear();
        break;
      }
      AddOnce(order, ref->column);
    }
    terms.order_by = std::move(order);
    break;
  }
  return terms;
}

// Builds of a suggestion block writes to a table: a query gets at most this
// many candidate indexes tried.
constexpr size_t kMaxCandidatesPerScan = 4;

std::string QuotedColumns(const std::vector<std::string>& columns) {
  std::vector<std::string> quoted;
  for (const std::string& c : columns) quoted.push_back(QuoteIdent(c));
  return fmt::format("({})", fmt::join(quoted, ", "));
}

std::string ColumnsText(const std::vector<std::string>& columns) { return fmt::format("({})", fmt::join(columns, ", ")); }

// ---------------------------------------------------------------------------
// The catalogs.

// The schema strata's unqualified names resolve to.
constexpr const char* kNamespace = "(SELECT oid FROM pg_namespace WHERE nspname = current_schema())";

struct LiveIndex {
  std::string name;
  int64_t oid = 0;
  std::string method;
  std::string predicate;  // as the server deparses it, "" for none
  bool backs_constraint = false;
  std::string own_constraint;          // "p" or "u" when it is that constraint's own index
  std::vector<std::string> columns;    // key columns, "" for an expression
  std::vector<std::string> opclasses;  // "" for the type's default operator class
};

struct LiveForeignKey {
  std::string table;
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
};

struct Catalog {
  std::map<std::string, std::set<std::string>> columns;  // table -> its columns
  std::set<std::string> relation_names;                 // every relation of the schema (indexes included), lower case
  std::map<std::string, std::vector<LiveIndex>> indexes;  // table -> indexes, in creation order
  std::map<std::string, IndexFacts> index_facts;         // index -> what classifying its steps needs
  std::vector<LiveForeignKey> foreign_keys;
};

Result<Catalog> ReadCatalog(PgSession& session) {
  Catalog c;
  Result<PgResult> columns = session.Query(fmt::format(
      "SELECT c.relname, a.attname FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
      "WHERE c.relnamespace = {} AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped",
      kNamespace));
  if (!columns.ok()) return columns.status();
  for (int r = 0; r < columns->rows(); ++r) c.columns[columns->Text(r, 0)].insert(columns->Text(r, 1));

  Result<PgResult> names = session.Query(fmt::format("SELECT relname FROM pg_class WHERE relnamespace = {}", kNamespace));
  if (!names.ok()) return names.status();
  for (int r = 0; r < names->rows(); ++r) c.relation_names.insert(AsciiLower(names->Text(r, 0)));  // SuggestedIndexName compares in lower case

  // One row per key column of each index. A constraint "backs" on an index
  // when it cannot do without it: its own PRIMARY KEY, UNIQUE or EXCLUDE,
  // or a foreign key that references the index's columns.
  Result<PgResult> index_rows = session.Query(fmt::format(
      "SELECT t.relname, i.relname, i.oid::bigint, am.amname, coalesce(pg_get_expr(x.indpred, x.indrelid), ''), "
      "       EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.oid), "
      "       coalesce((SELECT k.contype::text FROM pg_constraint k WHERE k.conindid = i.oid AND k.conrelid = x.indrelid "
      "                 AND k.contype IN ('p', 'u') LIMIT 1), ''), "
      "       coalesce(a.attname, ''), CASE WHEN oc.opcdefault THEN '' ELSE coalesce(oc.opcname, '') END "
      "FROM pg_index x "
      "JOIN pg_class i ON i.oid = x.indexrelid "
      "JOIN pg_class t ON t.oid = x.indrelid "
      "JOIN pg_am am ON am.oid = i.relam "
      "CROSS JOIN LATERAL unnest(x.indkey::int2[], x.indclass::oid[]) WITH ORDINALITY AS k(attnum, opclass, position) "
      "LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum AND k.attnum > 0 "
      "LEFT JOIN pg_opclass oc ON oc.oid = k.opclass "
      "WHERE t.relnamespace = {} AND k.position <= x.indnkeyatts "
      "ORDER BY t.relname, i.oid, k.position",
      kNamespace));
  if (!index_rows.ok()) return index_rows.status();
  for (int r = 0; r < index_rows->rows(); ++r) {
    const auto text = [&](int column) { return index_rows->Text(r, column); };
    std::vector<LiveIndex>& of_table = c.indexes[text(0)];
    if (of_table.empty() || of_table.back().name != text(1)) {
      LiveIndex i;
      i.name = text(1);
      i.oid = std::stoll(text(2));
      i.method = text(3);
      i.predicate = text(4);
      i.backs_constraint = text(5) == "t";
      i.own_constraint = text(6);
      of_table.push_back(std::move(i));
    }
    of_table.back().columns.push_back(text(7));
    of_table.back().opclasses.push_back(text(8));
  }
  for (const auto& [table, indexes] : c.indexes)
    for (const LiveIndex& i : indexes)
      c.index_facts[i.name] = {i.method, i.columns.empty() ? "" : i.columns[0], i.own_constraint == "p"};

  Result<PgResult> fks = session.Query(fmt::format(
      "SELECT k.oid::bigint, c.relname, p.relname, ca.attname, pa.attname "
      "FROM pg_constraint k "
      "JOIN pg_class c ON c.oid = k.conrelid "
      "JOIN pg_class p ON p.oid = k.confrelid "
      "CROSS JOIN LATERAL unnest(k.conkey, k.confkey) WITH ORDINALITY AS u(child, parent, position) "
      "JOIN pg_attribute ca ON ca.attrelid = k.conrelid AND ca.attnum = u.child "
      "JOIN pg_attribute pa ON pa.attrelid = k.confrelid AND pa.attnum = u.parent "
      "WHERE k.contype = 'f' AND c.relnamespace = {} "
      "ORDER BY k.oid, u.position",
      kNamespace));
  if (!fks.ok()) return fks.status();
  std::string current;
  for (int r = 0; r < fks->rows(); ++r) {
    if (fks->Text(r, 0) != current) {
      current = fks->Text(r, 0);
      c.foreign_keys.push_back({fks->Text(r, 1), {}, fks->Text(r, 2), {}});
    }
    c.foreign_keys.back().columns.push_back(fks->Text(r, 3));
    c.foreign_keys.back().ref_columns.push_back(fks->Text(r, 4));
  }
  return c;
}

// Tables among `tables` the server has no statistics for: never analyzed
// (by hand or by autovacuum) and without a row in pg_stats.
Result<std::vector<std::string>> NeverAnalyzed(PgSession& session, const std::vector<std::string>& tables) {
  Result<PgResult> rows = session.Query(fmt::format(
      "SELECT c.relname FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid "
      "WHERE c.relnamespace = {} AND c.relkind IN ('r', 'p') "
      "AND s.last_analyze IS NULL AND s.last_autoanalyze IS NULL "
      "AND NOT EXISTS (SELECT 1 FROM pg_stats p WHERE p.schemaname = current_schema() AND p.tablename = c.relname)",
      kNamespace));
  if (!rows.ok()) return rows.status();
  std::set<std::string> never;
  for (int r = 0; r < rows->rows(); ++r) never.insert(rows->Text(r, 0));
  std::vector<std::string> out;
  for (const std::string& t : tables)
    if (never.count(t)) out.push_back(t);
  return out;
}

// ---------------------------------------------------------------------------
// Planning a query, possibly after building an index, in a transaction
// that is rolled back.

class Planner {
 public:
  Planner(PgSession& session, std::map<std::string, IndexFacts> indexes) : session_(session), indexes_(std::move(indexes)) {}

  // The generic plan of `sql` (what a prepared statement gets for any
  // parameter values) after `setup` (SET LOCAL settings, CREATE INDEX of
  // `built`, which the plan may use). When a setup statement fails,
  // `setup_failed` is set and its error returned.
  Result<Plan> PlanQuery(const std::string& sql, const std::vector<std::string>& setup = {},
                         const std::optional<std::pair<std::string, IndexFacts>>& built = std::nullopt,
                         bool* setup_failed = nullptr) {
    const std::string name = fmt::format("strata_explain_{}", ++prepared_);
    // A prepared statement belongs to the session and outlives the
    // rollback: it is deallocated after it (this guard is destroyed last).
    struct Deallocate {
      PgSession& session;
      const std::string& name;
      bool armed = false;
      ~Deallocate() {
        if (armed) (void)session.Exec("DEALLOCATE " + name);
      }
    } deallocate{session_, name};
    std::optional<std::string> json;
    {
      RolledBackTransaction transaction(session_);
      if (Status s = transaction.Begin(); !s.ok()) return s;
      if (Status s = session_.Exec("SET LOCAL plan_cache_mode = force_generic_plan"); !s.ok()) return s;
      for (const std::string& statement : setup)
        if (Status s = session_.Exec(statement); !s.ok()) {
          if (setup_failed) *setup_failed = true;
          return s;
        }
      Result<PgResult> prepared = RunOne(session_, "PREPARE " + name + " AS " + NumberedParameters(TrimStatement(sql)));
      if (!prepared.ok()) return prepared.status();
      deallocate.armed = true;
      Result<std::string> count = session_.QueryString(
          fmt::format("SELECT cardinality(parameter_types) FROM pg_prepared_statements WHERE name = {}", QuoteLiteral(name)));
      if (!count.ok()) return count.status();
      const int parameters = count->empty() ? 0 : std::stoi(*count);
      std::vector<std::string> nulls(static_cast<size_t>(parameters), "NULL");
      const std::string arguments = parameters == 0 ? "" : fmt::format("({})", fmt::join(nulls, ", "));
      Result<std::string> text = session_.QueryString(fmt::format("EXPLAIN (FORMAT JSON) EXECUTE {}{}", name, arguments));
      if (!text.ok()) return text.status();
      json = std::move(text.value());
    }
    Result<std::vector<PlanNode>> nodes = ReadPlan(session_, *json);
    if (!nodes.ok()) return nodes.status();
    Plan plan;
    plan.nodes = std::move(nodes.value());
    std::map<std::string, IndexFacts> indexes = indexes_;
    if (built) indexes.insert(*built);
    plan.steps = Classify(plan.nodes, indexes, HasGroupBy(Tokenize(sql)));
    return plan;
  }

 private:
  PgSession& session_;
  std::map<std::string, IndexFacts> indexes_;
  int prepared_ = 0;
};

// What building a suggested index and planning again showed.
struct Trial {
  enum Outcome { kFixed, kNotFixed, kUnchecked } outcome = kNotFixed;
  std::string why;  // kUnchecked: the server's message
};

// Build errors that say the candidate index cannot exist: a column type
// without a B-tree operator class, a key too wide, a relation that takes
// no index. Any other failure (a lock not granted in time, the timeout, a
// read-only session, missing privileges) says nothing about the index: it
// stays a suggestion, unchecked.
bool IndexCannotExist(const Status& s) {
  const std::string state = SqlState(s);
  return state == "42704" || state == "42809" || state.starts_with("54");
}

// Builds `index` (name, columns) with `create_sql` and plans `sql` again.
Trial TryIndex(Planner& planner, const std::pair<std::string, std::vector<std::string>>& index, const std::string& create_sql,
               const std::string& sql, bool any_index_will_do, const std::function<bool(const Plan&)>& fixed) {
  std::vector<std::string> setup = {"SET LOCAL lock_timeout = '1s'",
                                    fmt::format("SET LOCAL statement_timeout = '{}'", kVerifyTimeout)};
  // A lookup an index can serve is planned with sequential scans
  // disfavoured, so that the answer does not depend on how many rows the
  // table holds today.
  if (any_index_will_do) setup.emplace_back("SET LOCAL enable_seqscan = off");
  setup.push_back(create_sql);
  bool setup_failed = false;
  Result<Plan> plan = planner.PlanQuery(sql, setup, std::make_pair(index.first, IndexFacts{"btree", index.second.at(0), false}),
                                        &setup_failed);
  if (!plan.ok()) {
    if (setup_failed && IndexCannotExist(plan.status())) return {Trial::kNotFixed, plan.status().message()};
    return {Trial::kUnchecked, plan.status().message()};
  }
  return {fixed(*plan) ? Trial::kFixed : Trial::kNotFixed, ""};
}

// ---------------------------------------------------------------------------
// Redundancy, over the neutral rule.

std::string EffectiveCollation(const IndexPart& part, const Table& table) {
  std::string collation = part.collation;
  if (collation.empty() && !part.column.empty())
    if (const Column* c = table.FindColumn(part.column)) collation = c->collation;
  collation = AsciiUpper(collation);
  return collation == "BINARY" ? "C" : collation;  // the YAML's BINARY is PostgreSQL's "C"
}

// `table`'s indexes and constraints, as `indexed` describes them, that the
// database holds; with what only the catalog knows (method, operator
// classes, the predicate as the server spells it, constraints that depend
// on an index, creation order). An index whose live columns differ from
// the description is left out rather than guessed at.
std::vector<IndexShape> ShapesOf(const Table& table, const std::vector<LiveIndex>& live) {
  std::vector<IndexShape> out;
  const auto keys_of = [&](const std::vector<IndexPart>& parts, const LiveIndex& l, IndexShape& shape) {
    if (parts.size() != l.columns.size()) return false;
    for (size_t k = 0; k < parts.size(); ++k) {
      if (parts[k].column != l.columns[k]) return false;
      shape.keys.push_back({parts[k].column, parts[k].descending, EffectiveCollation(parts[k], table), l.opclasses[k]});
      shape.has_expression = shape.has_expression || parts[k].column.empty();
      shape.display_columns.push_back((parts[k].column.empty() ? "<expr>" : parts[k].column) +
                                      (parts[k].descending ? " DESC" : ""));
    }
    shape.method = l.method;
    shape.where = l.predicate;
    shape.created = l.oid;
    return true;
  };
  const auto constraint = [&](const std::vector<std::string>& columns, IndexShape::Origin origin, const std::string& type) {
    for (const LiveIndex& l : live) {
      if (l.own_constraint != type || l.columns != columns) continue;
      IndexShape shape;
      shape.name = l.name;
      shape.origin = origin;
      shape.unique = true;
      std::vector<IndexPart> parts;
      for (const std::string& c : columns) parts.push_back({c, "", false, ""});
      if (keys_of(parts, l, shape)) out.push_back(std::move(shape));
      return;
    }
  };
  if (std::vector<std::string> pk = table.PrimaryKeyColumns(); !pk.empty()) constraint(pk, IndexShape::Origin::kPrimaryKey, "p");
  for (const Column& c : table.columns)
    if (c.unique && !c.primary_key) constraint({c.name}, IndexShape::Origin::kUnique, "u");
  for (const UniqueConstraint& u : table.uniques) constraint(u.columns, IndexShape::Origin::kUnique, "u");
  for (const Index& index : table.indexes) {
    auto l = std::find_if(live.begin(), live.end(), [&](const LiveIndex& x) { return x.name == index.name; });
    if (l == live.end() || (index.where.empty() != l->predicate.empty())) continue;
    IndexShape shape;
    shape.name = index.name;
    shape.unique = index.unique;
    shape.backs_constraint = l->backs_constraint;
    if (keys_of(index.parts, *l, shape)) out.push_back(std::move(shape));
  }
  std::sort(out.begin(), out.end(), [](const IndexShape& a, const IndexShape& b) { return a.created < b.created; });
  return out;
}

}  // namespace

std::string NumberedParameters(std::string_view sql) {
  std::string out;
  size_t copied = 0;
  int highest = 0;
  std::map<std::string, int> named;
  const auto number = [](std::string_view digits) -> std::optional<int> {
    int n = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
    if (error != std::errc() || end != digits.data() + digits.size() || n < 1 || n > 65535) return std::nullopt;
    return n;
  };
  for (const Token& t : Tokenize(sql)) {
    if (t.type == Token::kParam) {
      if (std::optional<int> n = number(std::string_view(t.text).substr(1))) highest = std::max(highest, *n);
      continue;
    }
    if (t.type != Token::kPlaceholder) continue;
    std::optional<int> n;
    if (t.text == "?") {
      n = highest + 1;
    } else if (t.text[0] == '?') {
      n = number(std::string_view(t.text).substr(1));
    } else {
      n = named.emplace(t.text, highest + 1).first->second;
    }
    if (!n) continue;  // not a number PostgreSQL accepts: left for the server to refuse
    highest = std::max(highest, *n);
    out.append(sql.substr(copied, t.begin - copied));
    out += "$" + std::to_string(*n);
    copied = t.end;
  }
  out.append(sql.substr(copied));
  return out;
}

Result<std::vector<PlanStep>> ExplainQueryPlan(PgSession& session, const std::string& sql,
                                               const std::vector<std::string>& setup) {
  Result<Catalog> catalog = ReadCatalog(session);
  if (!catalog.ok()) return catalog.status();
  Planner planner(session, catalog->index_facts);
  Result<Plan> plan = planner.PlanQuery(sql, setup);
  if (!plan.ok()) return plan.status();
  return std::move(plan->steps);
}

Result<ExplainReport> Explain(PgSession& session, const Schema& declared, const Schema& indexed) {
  if (session.in_transaction())
    return Status::Error(StatusCode::kInternal, "explain needs a session without an open transaction");
  Result<Catalog> read = ReadCatalog(session);
  if (!read.ok()) return read.status();
  const Catalog& catalog = *read;
  ExplainReport report;
  report.verification = "checked by PostgreSQL: built in a transaction that was rolled back";

  // Live tables the schema declares; strata's history and tables the
  // schema does not know are not its business.
  std::vector<std::string> tables;
  for (const Table& t : declared.tables)
    if (catalog.columns.count(t.name)) tables.push_back(t.name);
  const auto is_large = [&](const std::string& table) {
    const Table* t = declared.FindTable(table);
    return t && t->large;
  };

  Result<std::vector<std::string>> never = NeverAnalyzed(session, tables);
  if (!never.ok()) return never.status();
  if (!never->empty())
    report.notes.push_back(fmt::format(
        "not analyzed: {} of {} tables ({}); the planner has no statistics for them and uses default estimates, so "
        "these plans may not be the ones the application gets; run ANALYZE (explain only reads, and does not run it)",
        never->size(), tables.size(), fmt::join(*never, ", ")));

  Planner planner(session, catalog.index_facts);
  std::set<std::string> taken = catalog.relation_names;
  std::vector<std::string> unchecked;  // why suggestions could not be checked

  // The index each entry of report.missing suggests, and the plain CREATE
  // INDEX that checks it (CONCURRENTLY cannot run in a transaction).
  struct Suggestion {
    std::string name, build, suggested;
  };
  std::vector<Suggestion> builds;
  const auto suggestion = [&](const std::string& table, const std::vector<std::string>& columns) {
    Suggestion out;
    out.name = SuggestedIndexName(table, columns, taken);
    out.build = fmt::format("CREATE INDEX {} ON {} {}", QuoteIdent(out.name), QuoteIdent(table), QuotedColumns(columns));
    out.suggested =
        fmt::format("CREATE INDEX CONCURRENTLY {} ON {} {};", QuoteIdent(out.name), QuoteIdent(table), QuotedColumns(columns));
    return out;
  };
  const auto add_missing = [&](MissingIndex m, const std::optional<Suggestion>& index) {
    if (index) taken.insert(AsciiLower(index->name));
    builds.push_back(index.value_or(Suggestion{}));
    report.missing.push_back(std::move(m));
  };
  // An index already suggested for the table may serve this query too: the
  // server decides, and then one index is suggested for both.
  const auto merge_into_earlier = [&](const std::string& table, const std::string& sql,
                                      const std::function<bool(const Plan&)>& fixed, const std::string& reason) {
    for (size_t i = 0; i < report.missing.size(); ++i) {
      MissingIndex& earlier = report.missing[i];
      if (earlier.table != table || builds[i].build.empty() || !earlier.verified) continue;
      if (TryIndex(planner, {builds[i].name, earlier.columns}, builds[i].build, sql, false, fixed).outcome != Trial::kFixed)
        continue;
      earlier.reasons.push_back(reason);
      earlier.query_scan = true;
      return true;
    }
    return false;
  };

  for (const Query& q : declared.queries) {
    QueryPlan plan{q.name, TrimStatement(q.sql), {}, {}, {}};
    Result<Plan> planned = planner.PlanQuery(plan.sql);
    if (!planned.ok()) {
      plan.error = planned.status().message();
      report.queries.push_back(std::move(plan));
      continue;
    }
    plan.steps = planned->steps;
    for (const std::string& t : TablesReadWhole(*planned))
      if (is_large(t)) plan.large_tables_scanned.push_back(t);

    for (const std::string& t : plan.large_tables_scanned) {
      const std::string reason = fmt::format("query {} reads every row", q.name);
      const auto fixed = [&](const Plan& after) {
        const std::vector<std::string> still = TablesReadWhole(after);
        return std::find(still.begin(), still.end(), t) == still.end();
      };
      if (merge_into_earlier(t, plan.sql, fixed, reason)) continue;
      MissingIndex m{t, true, {reason}, true, {}, {}, false};
      // The terms come from the first node that reads the table in full.
      QueryTerms terms;
      for (size_t i = 0; i < planned->steps.size(); ++i) {
        const PlanStep& s = planned->steps[i];
        if (s.table != t || (s.kind != PlanStep::Kind::kScan && s.kind != PlanStep::Kind::kIndexScan)) continue;
        auto columns = catalog.columns.find(t);
        if (columns != catalog.columns.end()) terms = TermsFor(*planned, static_cast<int>(i), columns->second);
        break;
      }
      std::vector<std::vector<std::string>> candidates = CandidateIndexKeys(terms);
      if (candidates.size() > kMaxCandidatesPerScan) candidates.resize(kMaxCandidatesPerScan);
      std::optional<Suggestion> chosen;
      for (const std::vector<std::string>& columns : candidates) {
        Suggestion index = suggestion(t, columns);
        const Trial trial = TryIndex(planner, {index.name, columns}, index.build, plan.sql, false, fixed);
        if (trial.outcome == Trial::kNotFixed) continue;
        // Fixed; or it could not be checked at all, and then the first
        // candidate is offered unverified rather than nothing.
        m.columns = columns;
        m.name = index.name;
        m.create_sql = index.suggested;
        m.verified = trial.outcome == Trial::kFixed;
        if (!m.verified) unchecked.push_back(trial.why);
        chosen = std::move(index);
        break;
      }
      add_missing(std::move(m), chosen);
    }
    report.queries.push_back(std::move(plan));
  }

  // Foreign keys: deleting or re-keying a parent row looks the child rows
  // up by the child columns. Whether an index can serve that lookup is
  // asked with sequential scans disfavoured: the answer must not depend on
  // how many rows the child table holds today.
  for (const std::string& name : tables) {
    for (const LiveForeignKey& fk : catalog.foreign_keys) {
      if (fk.table != name) continue;
      std::string where;
      for (size_t k = 0; k < fk.columns.size(); ++k)
        where += fmt::format("{}{} = ${}", k ? " AND " : "", QuoteIdent(fk.columns[k]), k + 1);
      const std::string lookup = fmt::format("SELECT 1 FROM {} WHERE {}", QuoteIdent(name), where);
      const auto searched = [&](const Plan& p) { return Searched(p, name); };
      Result<Plan> now = planner.PlanQuery(lookup, {"SET LOCAL enable_seqscan = off"});
      if (!now.ok()) {
        report.notes.push_back(fmt::format("the lookup of foreign key {} of {} could not be planned: {}",
                                           ColumnsText(fk.columns), name, now.status().message()));
        continue;
      }
      if (searched(*now)) continue;
      const std::string reason =
          fmt::format("foreign key {} -> {}{} has no index", ColumnsText(fk.columns), fk.ref_table, ColumnsText(fk.ref_columns));
      // An index suggested earlier for the table serves the lookup when it
      // leads with one of the child columns: a B-tree searches by a prefix.
      auto earlier = std::find_if(report.missing.begin(), report.missing.end(), [&](const MissingIndex& m) {
        return m.table == name && !m.columns.empty() &&
               std::find(fk.columns.begin(), fk.columns.end(), m.columns[0]) != fk.columns.end();
      });
      if (earlier != report.missing.end()) {
        earlier->reasons.push_back(reason);
        continue;
      }
      MissingIndex m{name, is_large(name), {reason}, false, fk.columns, {}, false};
      Suggestion index = suggestion(name, fk.columns);
      m.name = index.name;
      m.create_sql = index.suggested;
      const Trial trial = TryIndex(planner, {index.name, fk.columns}, index.build, lookup, true, searched);
      m.verified = trial.outcome == Trial::kFixed;
      if (trial.outcome == Trial::kUnchecked) unchecked.push_back(trial.why);
      add_missing(std::move(m), index);
    }
  }
  if (!unchecked.empty())
    report.notes.push_back(fmt::format(
        "{} suggested index(es) could not be checked by building them (listed unverified): {}", unchecked.size(),
        unchecked.front()));

  for (const Table& t : indexed.tables) {
    if (!declared.FindTable(t.name) || !catalog.columns.count(t.name)) continue;
    auto live = catalog.indexes.find(t.name);
    if (live == catalog.indexes.end()) continue;
    for (RedundantIndex& r : FindRedundantIndexes(t.name, ShapesOf(t, live->second), [](const IndexShape& i) {
           return fmt::format("DROP INDEX CONCURRENTLY {};", QuoteIdent(i.name));
         }))
      report.redundant.push_back(std::move(r));
  }
  return report;
}

}  // namespace strata::postgres
