#include "postgres/history.h"

#include <fmt/format.h>

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

}  // namespace strata::postgres
