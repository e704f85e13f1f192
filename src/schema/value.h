// Value: a literal as YAML states it (NULL, boolean, integer, real, text).
// Used for column defaults and reference rows. The dialect decides how to
// spell it in SQL; the model only keeps what the user meant.
#pragma once

#include <cstdint>
#include <string>
#include <variant>

namespace strata {

struct Value {
  std::variant<std::monostate, bool, int64_t, double, std::string> data;

  static Value Null() { return {}; }
  static Value Bool(bool b) { return {b}; }
  static Value Int(int64_t i) { return {i}; }
  static Value Real(double d) { return {d}; }
  static Value Text(std::string s) { return {std::move(s)}; }

  bool is_null() const { return std::holds_alternative<std::monostate>(data); }
  // A human-readable rendering for messages and YAML output.
  std::string ToString() const;

  friend bool operator==(const Value&, const Value&) = default;
};

// A column default: either a literal value or SQL the YAML marks as SQL
// (`default_sql: CURRENT_TIMESTAMP`), which is rendered verbatim.
struct DefaultValue {
  enum class Kind { kLiteral, kSql };
  Kind kind = Kind::kLiteral;
  Value literal;
  std::string sql;

  static DefaultValue Literal(Value v) { return {Kind::kLiteral, std::move(v), {}}; }
  static DefaultValue Sql(std::string s) { return {Kind::kSql, {}, std::move(s)}; }
  bool is_sql() const { return kind == Kind::kSql; }
  std::string ToString() const { return is_sql() ? "(" + sql + ")" : literal.ToString(); }

  friend bool operator==(const DefaultValue&, const DefaultValue&) = default;
};

}  // namespace strata
