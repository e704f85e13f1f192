#include "postgres/history.h"

#include <fmt/format.h>

#include "postgres/pg.h"

namespace strata::postgres {

std::string CreateHistoryTableSql() {
  return fmt::format(
      "CREATE TABLE IF NOT EXISTS \"{}\" (\n"
      "  \"version\" bigint PRIMARY KEY,\n"
      "  \"name\" text NOT NULL,\n"
      "  \"tag\" text NOT NULL,\n"
      "  \"checksum\" text,\n"
      "  \"applied_at\" timestamptz NOT NULL DEFAULT now(),\n"
      "  \"duration_ms\" bigint\n"
      ")",
      kHistoryTable);
}

std::string UpgradeHistoryTableSql() {
  return fmt::format("ALTER TABLE \"{}\" ADD COLUMN IF NOT EXISTS \"up_sql\" text, ADD COLUMN IF NOT EXISTS \"down_sql\" text",
                     kHistoryTable);
}

std::string RecordVersionSql(int64_t version, std::string_view name, std::string_view tag) {
  return fmt::format("INSERT INTO {} (\"version\", \"name\", \"tag\") VALUES ({}, {}, {})", QuoteIdent(kHistoryTable),
                     version, QuoteLiteral(name), QuoteLiteral(tag));
}

}  // namespace strata::postgres
