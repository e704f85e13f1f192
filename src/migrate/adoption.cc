// Runner::AssessAdoption: whether a database strata did not create can be
// adopted as it is, and at which tag.
#include <fmt/format.h>

#include "migrate/runner.h"

namespace strata {

Result<std::optional<Adoption>> Runner::AssessAdoption() {
  Result<std::vector<AppliedMigration>> history = connection_.ReadHistory();
  if (!history.ok()) return history.status();
  Result<bool> empty = connection_.IsEmpty();
  if (!empty.ok()) return empty.status();
  if (!history->empty() || *empty || !expected_) return std::optional<Adoption>();
  Result<Schema> live = connection_.Inspect();
  if (!live.ok()) return live.status();
  Adoption out;
  std::optional<size_t> fewest;
  // From the last tag down: the database is most likely at a recent one.
  for (int tag = project_.last_tag(); tag >= 0; --tag) {
    Result<std::vector<std::string>> found = Differences(*live, tag);
    if (!found.ok()) return found.status();
    if (found->empty()) {
      out.tag = tag;
      out.by_up = !migrations_.empty() && project_.TagIndex(migrations_.front().tag) == tag;
      return std::optional<Adoption>(out);
    }
    if (!fewest || found->size() < *fewest) {
      fewest = found->size();
      out.nearest_tag = tag;
      out.differences = std::move(found.value());
    }
  }
  return std::optional<Adoption>(out);
}

}  // namespace strata
