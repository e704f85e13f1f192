// The schema across tags. The YAML declares each element once, with the tag
// it appears in (`since`), the tags at which it changes (`changes`) and the
// tag at which it goes away (`removed`). A Timeline keeps every stage of an
// element as a full value, so the state at any tag is a lookup, and a rename
// is a change of `name` between two stages of the same element, never a
// guess.
#pragma once

#include <optional>
#include <vector>

#include "schema/project.h"
#include "schema/table.h"

namespace strata {

template <typename T>
struct Timeline {
  struct Stage {
    int tag;
    T value;
  };
  std::vector<Stage> stages;  // ascending tags; stages.front() is the declaration
  std::optional<int> removed;

  int since() const { return stages.front().tag; }

  // The element as it stands at `tag`, or nullptr when it does not exist then.
  const T* At(int tag) const {
    if (stages.empty() || tag < since() || (removed && tag >= *removed)) return nullptr;
    const T* current = nullptr;
    for (const Stage& s : stages)
      if (s.tag <= tag) current = &s.value;
    return current;
  }

  // At(tag), with `renamed_from` set when `tag` is the tag that renames it.
  T StateAt(int tag) const {
    T value = *At(tag);
    if constexpr (requires { value.renamed_from; }) {
      value.renamed_from.clear();
      for (size_t i = 1; i < stages.size(); ++i)
        if (stages[i].tag == tag && stages[i - 1].value.name != value.name)
          value.renamed_from = stages[i - 1].value.name;
    }
    return value;
  }
};

// A table across tags. `header` holds the table-level attributes (name,
// description, primary key, options, row key); its element vectors are empty
// and filled from the element timelines when a state is computed.
struct VersionedTable {
  Timeline<Table> header;
  std::vector<Timeline<Column>> columns;
  std::vector<Timeline<UniqueConstraint>> uniques;
  std::vector<Timeline<ForeignKey>> foreign_keys;
  std::vector<Timeline<CheckConstraint>> checks;
  std::vector<Timeline<Index>> indexes;
  std::vector<Timeline<Trigger>> triggers;
  std::vector<Timeline<DataCheck>> data_checks;
  std::vector<Timeline<DataFix>> data_fixes;  // each lives for exactly one tag
  std::vector<Timeline<ReferenceRow>> rows;
};

struct VersionedSchema {
  Project project;
  std::vector<VersionedTable> tables;
  std::vector<Timeline<View>> views;
  std::vector<Timeline<Query>> queries;

  // The schema as it stands at tag index `tag` (0 .. project.last_tag()).
  Schema At(int tag) const;
  Schema Latest() const { return At(project.last_tag()); }
};

}  // namespace strata
