// Index changes written into the user's schema files for a later tag (what
// `strata explain --write` does with its advice): a new index appended to a
// table's `indexes:` list with `since:`, and `removed:` added to the entry
// of an index that goes. The edits are text: comments, order and layout
// stay byte for byte, block and flow style alike. The edited files must
// load to exactly the schema intended, every other tag unchanged, or
// nothing is edited.
#pragma once

#include <string>
#include <vector>

#include "base/source_pos.h"
#include "base/status.h"
#include "yaml/loader.h"

namespace strata::yaml {

struct IndexToAdd {
  std::string table;  // its name at the tag the advice was given at
  std::string name;   // wanted; a free name like it is taken when another object has it
  std::vector<std::string> columns;
  std::string description;  // why the index is there: the entry's `description:`
};

struct IndexToDrop {
  std::string table, index;  // names at the tag the advice was given at
  // The index that serves its lookups once it is gone; "" when that is a
  // constraint's own index (PRIMARY KEY, UNIQUE), which the schema keeps.
  std::string kept_index;
  std::string why;  // a comment after `removed:` in block style
};

struct IndexEditRequest {
  int from = 0;  // the tag the advice was given at: names are looked up there
  int to = 0;    // the tag the changes belong to, after `from`
  std::vector<IndexToAdd> add;
  std::vector<IndexToDrop> drop;
};

// What became of one requested change.
struct IndexEditOutcome {
  std::string name;  // the index (for an addition, the name it got)
  bool written = false;
  SourcePos pos;        // written: its new entry's or its `removed:` line in the edited file
  std::string skipped;  // not written: why, e.g. "already removed at tag \"phase3\""
};

struct EditedFile {
  std::string path;
  std::string before, after;
};

struct IndexEdits {
  std::vector<IndexEditOutcome> added;    // one per IndexEditRequest::add, in order
  std::vector<IndexEditOutcome> dropped;  // one per IndexEditRequest::drop, in order
  std::vector<EditedFile> files;          // the files that change, in source order
};

// Plans the edits on `sources` (sources[0] the project file, as
// ReadSchemaSources gives them) without writing. A change already made, or
// one that no longer applies at `to` (its table or column is gone, an index
// there serves it already) is skipped with the reason. InvalidInput when a
// table or index named is not declared at `from` (the database the advice
// came from is not what schema/ says), or when an edit cannot be placed in
// the text as written; then no file is edited.
Result<IndexEdits> EditIndexes(const std::vector<SourceFile>& sources, const IndexEditRequest& request);

// Writes the edited files together: each beside its target first, then all
// renamed over their targets, so a failure before the renames leaves every
// file as it was.
Status WriteEditedFiles(const std::vector<EditedFile>& files);

}  // namespace strata::yaml
