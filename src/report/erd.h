// Entity-relationship diagrams of one schema state: every table with its
// key columns (or all of them), and every foreign key as a relationship
// with its cardinality, as Mermaid (`erDiagram`, which GitHub renders in
// Markdown) and as Graphviz DOT (which `dot` turns into SVG).
#pragma once

#include <string>
#include <vector>

#include "schema/table.h"

namespace strata::report {

// One foreign key, read as a relationship. A child row points at exactly
// one parent row, or at none when a key column may be NULL; a parent row
// has any number of children, or at most one when the key's columns are
// unique in the child (a primary key, UNIQUE constraint or unique index
// within them).
struct ErdRelationship {
  std::string parent;  // the referenced table, as the schema names it
  std::string child;   // the table holding the foreign key
  std::vector<std::string> columns;  // the child's key columns
  bool optional = false;    // a key column is nullable: zero or one parent
  bool one_to_one = false;  // at most one child per parent
  bool identifying = false; // the key is part of the child's primary key
};

// In table order, then the order each table declares its foreign keys.
std::vector<ErdRelationship> ErdRelationships(const Schema& schema);

enum class ErdColumns {
  kKeys,  // primary key, foreign key and unique columns only
  kAll,
};

std::string ErdMermaid(const Schema& schema, ErdColumns columns = ErdColumns::kKeys);
std::string ErdDot(const Schema& schema, ErdColumns columns = ErdColumns::kKeys);

}  // namespace strata::report
