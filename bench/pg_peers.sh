#!/usr/bin/env bash
# strata on PostgreSQL beside psql, whole processes, on a throwaway cluster:
#   apply  N small migrations, a transaction each: `strata up` against one
#          psql session running the same files, each in BEGIN ... COMMIT
#          with the same history row;
#   status with N applied: `strata status` against psql reading the latest
#          history row.
# Runs are interleaved, each apply on a fresh database; prints the median of
# RUNS and the ratio. Usage: bench/pg_peers.sh [N=1000] [RUNS=3]
# STRATA names another strata binary (default build/strata); TMPDIR=/dev/shm
# puts the cluster in memory (see scripts/pg-server).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
runs=${2:-3}
strata=${STRATA:-$PWD/build/strata}
eval "$(scripts/pg-server start)"
trap 'scripts/pg-server stop "$STRATA_PG_DIR"; rm -rf "$work"' EXIT
work=$(mktemp -d)
base=${STRATA_TEST_PG%%\?*}   # postgresql:///postgres
query=${STRATA_TEST_PG#*\?}
url() { echo "postgresql:///$1?$query"; }

mkdir -p "$work/schema" "$work/migrations/postgres"
printf 'project: bench\ndialects: [sqlite, postgres]\ntags: [only]\n' > "$work/schema/project.yaml"
: > "$work/psql.sql"
for i in $(seq 1 "$n"); do
  v=$((100000 + i))
  sql="CREATE TABLE t_$i (id bigint PRIMARY KEY, note text);"
  echo "$sql" > "$work/migrations/postgres/${v}_m$i.up.sql"
  printf 'BEGIN;\n%s\nINSERT INTO strata_migrations (version, name, tag) VALUES (%s, %s, %s);\nCOMMIT;\n' \
    "$sql" "$v" "'m$i'" "'only'" >> "$work/psql.sql"
done
(cd "$work" && "$strata" generate >/dev/null)
history='CREATE TABLE IF NOT EXISTS strata_migrations (version bigint PRIMARY KEY, name text NOT NULL, tag text NOT NULL, checksum text, applied_at timestamptz NOT NULL DEFAULT now(), duration_ms bigint);'

now() { date +%s%N; }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
psql_q() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

: > "$work/up.strata"; : > "$work/up.psql"; : > "$work/st.strata"; : > "$work/st.psql"
for r in $(seq 1 "$runs"); do
  for who in strata psql; do
    db="bench_${who}_$r"
    psql_q "$STRATA_TEST_PG" -c "CREATE DATABASE $db" >/dev/null
    if [ "$who" = strata ]; then
      t0=$(now); (cd "$work" && "$strata" up --db "$(url "$db")" >/dev/null 2>&1); t1=$(now)
    else
      psql_q "$(url "$db")" -c "$history" >/dev/null
      t0=$(now); psql_q "$(url "$db")" -f "$work/psql.sql" >/dev/null; t1=$(now)
    fi
    echo $(( (t1 - t0) / 1000000 )) >> "$work/up.$who"
  done
  for who in strata psql; do
    db="bench_strata_$r"
    if [ "$who" = strata ]; then
      t0=$(now); (cd "$work" && "$strata" status --db "$(url "$db")" >/dev/null 2>&1); t1=$(now)
    else
      t0=$(now); psql_q "$(url "$db")" -At -c "SELECT version FROM strata_migrations ORDER BY version DESC LIMIT 1" >/dev/null; t1=$(now)
    fi
    echo $(( (t1 - t0) / 1000000 )) >> "$work/st.$who"
  done
done
applied=$(psql_q "$(url bench_strata_1)" -At -c "SELECT count(*) FROM strata_migrations")
[ "$applied" -ge "$n" ] || { echo "strata applied $applied of $n" >&2; exit 1; }
for what in up st; do
  s=$(median < "$work/$what.strata"); p=$(median < "$work/$what.psql")
  label=$([ "$what" = up ] && echo "apply $n migrations" || echo "status with $n applied")
  awk -v l="$label" -v s="$s" -v p="$p" 'BEGIN {printf "%-28s strata %6d ms   psql %6d ms   %.2fx\n", l, s, p, s / p}'
done
