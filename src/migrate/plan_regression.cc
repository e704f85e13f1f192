#include "migrate/plan_regression.h"

namespace strata {

namespace {

Result<ExplainReport> PlansOn(const Dialect& dialect, const Schema& schema, const Schema& queries_from) {
  Result<std::unique_ptr<Connection>> scratch = dialect.OpenScratch();
  if (!scratch.ok()) return scratch.status();
  if (Status s = (*scratch)->CreateSchema(schema); !s.ok()) return s;
  Schema asked = schema;
  asked.queries = queries_from.queries;
  for (Table& t : asked.tables)
    if (const Table* later = queries_from.FindTable(t.name)) t.large = later->large;
  return (*scratch)->Explain(asked);
}

}  // namespace

Result<std::vector<PlanChange>> ComparePlansBetween(const Dialect& dialect, const Schema& base, const Schema& target) {
  Result<ExplainReport> before = PlansOn(dialect, base, target);
  if (!before.ok()) return before.status().WithContext("the base schema");
  Result<ExplainReport> after = PlansOn(dialect, target, target);
  if (!after.ok()) return after.status();
  return ComparePlans(*before, *after, target);
}

}  // namespace strata
