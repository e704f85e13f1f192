// Fuzz target: everything that reads SQL text strata did not write: the
// lexer, the statement splitter, the DDL parser (CREATE TABLE and CREATE
// INDEX) and the canonical spelling used to compare texts.
#include <cstddef>
#include <cstdint>
#include <string>

#include "sqlite/connection.h"
#include "sqlite/ddl_parser.h"
#include "sqlite/inspect.h"
#include "sqlite/sql_lexer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  (void)strata::sqlite::TokenizeSql(text);
  (void)strata::sqlite::SplitStatements(text);
  (void)strata::sqlite::ParseCreateTable(text);
  (void)strata::sqlite::ParseIndexTerms(text);
  (void)strata::sqlite::PartialIndexWhere(text);
  const std::string canonical = strata::sqlite::CanonicalSql(text);
  // Canonical spelling is idempotent; comparing a text with itself holds.
  if (strata::sqlite::CanonicalSql(canonical) != canonical) __builtin_trap();
  if (!strata::sqlite::SameSql(text, text)) __builtin_trap();
  (void)strata::sqlite::ParseDefault(text);
  return 0;
}
