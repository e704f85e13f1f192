#!/usr/bin/env bash
# The layers point one way: base <- schema <- yaml, diff <- plan, dialect <-
# sqlite <- migrate <- report <- cli (migrate knows dialects only through
# src/dialect/, so a new dialect is a new folder).
# Fails when a file includes a layer it must not know about.
set -u
src=${1:?usage: layering_test.sh SRC_DIR}
status=0
forbid() {  # folder, pattern of forbidden includes, reason
  local hits
  hits=$(grep -rnE "^#include [<\"]($2)" "$src/$1" 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "layering violation in src/$1 ($3):"
    echo "$hits"
    status=1
  fi
}
forbid base   'schema/|yaml/|diff/|plan/|dialect/|sqlite/|postgres/|migrate/|report/|cli/|yaml-cpp|sqlite3|libpq|CLI/' "base includes nothing of strata's"
forbid schema 'yaml/|dialect/|sqlite/|postgres/|report/|cli/|yaml-cpp|sqlite3|libpq|CLI/' "the model is plain data"
forbid yaml   'dialect/|sqlite/|postgres/|report/|cli/|sqlite3|libpq|CLI/'           "the loader knows no database"
forbid diff   'yaml/|dialect/|sqlite/|postgres/|migrate/|report/|cli/|yaml-cpp|sqlite3|libpq|CLI/' "the differ works on models only"
forbid plan   'yaml/|sqlite/|migrate/|report/|cli/|yaml-cpp|sqlite3|CLI/' "a plan is dialect-neutral data"
forbid dialect 'yaml/|sqlite/|migrate/|report/|cli/|yaml-cpp|sqlite3|CLI/' "the dialect interface names no dialect"
forbid sqlite 'yaml/|migrate/|report/|cli/|yaml-cpp|CLI/'               "the dialect knows no YAML, runner or CLI"
forbid postgres 'yaml/|sqlite/|migrate/|report/|cli/|yaml-cpp|sqlite3|CLI/' "the dialect knows no YAML, runner, CLI or other dialect"
forbid migrate 'yaml/|sqlite/|postgres/|report/|cli/|yaml-cpp|sqlite3|libpq|CLI/'       "the runner reaches a database through src/dialect/"
forbid report 'yaml/|sqlite/|postgres/|cli/|yaml-cpp|sqlite3|libpq|CLI/' "reports render result values"
# The neutral layers name no dialect, not even through a declaration that
# needs no include, and leave SQLite's type affinity to src/sqlite/types.h.
hits=$(grep -rnE '\b(sqlite|postgres)::|\bTypeAffinity\(' "$src/schema" "$src/yaml" "$src/diff" 2>/dev/null)
if [ -n "$hits" ]; then
  echo "layering violation in a neutral layer (schema/, yaml/, diff/ name no dialect):"
  echo "$hits"
  status=1
fi
# The CLI holds a Connection; only the registration file names a dialect.
hits=$(grep -rlE '^#include [<"](sqlite/|postgres/|sqlite3|libpq)' "$src/cli" 2>/dev/null | grep -v '/cli/dialects.cc$')
if [ -n "$hits" ]; then
  echo "layering violation in src/cli (only src/cli/dialects.cc may name a dialect):"
  echo "$hits"
  status=1
fi
[ $status -eq 0 ] && echo "layering ok"
exit $status
