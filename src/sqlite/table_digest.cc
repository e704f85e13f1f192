#include "sqlite/table_digest.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "sqlite/sql_writer.h"

namespace strata::sqlite {

namespace {

// FNV-1a: fast, and a table's digest only has to tell copies apart, not
// resist someone crafting a collision.
uint64_t Fnv1a(const void* data, size_t size, uint64_t hash = 0xcbf29ce484222325ULL) {
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (size_t i = 0; i < size; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ULL;
  return hash;
}

// SplitMix64's finaliser: spreads FNV's low-entropy high bits, so that
// summing hashes (the order-free column hash) does not cancel them out.
uint64_t Mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

uint64_t ValueHash(sqlite3_stmt* row, int column) {
  const int type = sqlite3_column_type(row, column);
  const unsigned char tag = static_cast<unsigned char>(type);
  uint64_t hash = Fnv1a(&tag, 1);
  switch (type) {
    case SQLITE_INTEGER: {
      const sqlite3_int64 v = sqlite3_column_int64(row, column);
      hash = Fnv1a(&v, sizeof v, hash);
      break;
    }
    case SQLITE_FLOAT: {
      const double v = sqlite3_column_double(row, column);
      hash = Fnv1a(&v, sizeof v, hash);
      break;
    }
    case SQLITE_TEXT: {
      const unsigned char* text = sqlite3_column_text(row, column);
      hash = Fnv1a(text, static_cast<size_t>(sqlite3_column_bytes(row, column)), hash);
      break;
    }
    case SQLITE_BLOB: {
      const void* blob = sqlite3_column_blob(row, column);
      hash = Fnv1a(blob, static_cast<size_t>(sqlite3_column_bytes(row, column)), hash);
      break;
    }
    default: break;  // NULL: the tag alone
  }
  return Mix(hash);
}

}  // namespace

Result<TableDigest> DigestTable(Database& db, const Table& table) {
  TableDigest digest;
  digest.table = table.name;
  for (const Column& c : table.columns) digest.columns.push_back(c.name);
  std::sort(digest.columns.begin(), digest.columns.end());
  digest.column_hashes.assign(digest.columns.size(), 0);
  std::vector<std::string> quoted;
  for (const std::string& c : digest.columns) quoted.push_back(QuoteIdentifier(c));
  // A row's hash covers the column names, so that the same values under
  // other columns are another row.
  const std::string names = fmt::format("{}", fmt::join(digest.columns, "\x1f"));
  const uint64_t row_seed = Fnv1a(names.data(), names.size());
  Result<Statement> rows =
      db.Prepare(fmt::format("SELECT {} FROM {}", fmt::join(quoted, ", "), QuoteIdentifier(table.name)));
  if (!rows.ok()) return rows.status().WithContext(table.name);
  for (;;) {
    Result<bool> row = rows->Step();
    if (!row.ok()) return row.status().WithContext(table.name);
    if (!*row) break;
    uint64_t row_hash = row_seed;
    for (size_t i = 0; i < digest.columns.size(); ++i) {
      const uint64_t value = ValueHash(rows->handle(), static_cast<int>(i));
      digest.column_hashes[i] += value;
      row_hash = Mix(row_hash ^ value);
    }
    digest.row_hashes.push_back(row_hash);
  }
  digest.rows = static_cast<int64_t>(digest.row_hashes.size());
  std::sort(digest.row_hashes.begin(), digest.row_hashes.end());
  return digest;
}

}  // namespace strata::sqlite
