// The sandbox of `strata explain`: the live schema without rows, in
// memory, where candidate indexes are created and thrown away, so that the
// live database is only read.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "base/status.h"
#include "dialect/index_plan.h"
#include "sqlite/database.h"

namespace strata::sqlite {


class Sandbox {
 public:
  // The tables, indexes, views and statistics of `live`, without rows.
  static Result<Sandbox> Create(Database& live);

  // The plan of `sql` once `create_index` exists; the index is gone again
  // afterwards.
  Result<std::vector<PlanStep>> PlanWith(const std::string& create_index, const std::string& sql,
                                         const std::vector<std::string>& tables);

 private:
  explicit Sandbox(Database db) : db_(std::move(db)) {}
  Database db_;
};

}  // namespace strata::sqlite
