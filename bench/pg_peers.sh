#!/usr/bin/env bash
# strata on PostgreSQL beside psql, whole processes, on a throwaway cluster:
#   apply  N small migrations, a transaction each: `strata up` against one
#          psql session running the same files, each in BEGIN ... COMMIT
#          with the same history row;
#   status with N applied: `strata status` against psql reading the latest
#          history row;
#   orphans ROWS child rows, 1% of them orphans, under a foreign key the
#          server does not enforce on them: `strata check` (its health
#          check, then the orphan count with sample keys) against psql
#          counting them with a hand-written NOT EXISTS;
#   diff   two databases of N tables of 20 columns, N/20 of them differing
#          (a column added, dropped, retyped, made NOT NULL, an index
#          added): `strata diff` against pg_dump --schema-only of both and
#          diff(1).
# Runs are interleaved, each apply on a fresh database; prints the median of
# RUNS and the ratio. Usage: bench/pg_peers.sh [N=1000] [RUNS=3] [ROWS=1000000]
# STRATA names another strata binary (default build/strata); TMPDIR=/dev/shm
# puts the cluster in memory (see scripts/pg-server).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-1000}
runs=${2:-3}
rows=${3:-1000000}
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
# Orphans: users and posts, the foreign key declared in the schema; the
# rows go in with the server's triggers off, as rows an old bug or a bulk
# load left behind.
mkdir -p "$work/orphans/schema/tables"
printf 'project: orphans\ndialects: [postgres]\ntags: [v1]\n' > "$work/orphans/schema/project.yaml"
cat > "$work/orphans/schema/tables/t.yaml" <<'YAML'
tables:
  - name: users
    since: v1
    columns:
      - {name: id, type: BIGINT, primary_key: true}
      - {name: name, type: TEXT}
  - name: posts
    since: v1
    columns:
      - {name: id, type: BIGINT, primary_key: true}
      - {name: user_id, type: BIGINT}
      - {name: body, type: TEXT}
    foreign_keys:
      - columns: [user_id]
        references: {table: users}
    indexes:
      - {name: posts_user, columns: [user_id]}
YAML
(cd "$work/orphans" && "$strata" generate >/dev/null)
psql_q "$STRATA_TEST_PG" -c "CREATE DATABASE bench_orphans" >/dev/null
(cd "$work/orphans" && "$strata" up --db "$(url bench_orphans)" >/dev/null 2>&1)
parents=$((rows / 10))
psql_q "$(url bench_orphans)" >/dev/null <<SQL
SET session_replication_role = replica;
INSERT INTO users SELECT g, 'u' || g FROM generate_series(1, $parents) g;
INSERT INTO posts SELECT g, CASE WHEN g % 100 = 0 THEN $rows + g ELSE 1 + (g::bigint * 7919) % $parents END, 'b'
  FROM generate_series(1, $rows) g;
ANALYZE;
SQL
orphan_sql='SELECT count(*) FROM posts AS c WHERE c.user_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM users AS p WHERE p.id = c.user_id)'
expected=$(psql_q "$(url bench_orphans)" -At -c "$orphan_sql")
[ "$expected" -eq $((rows / 100)) ] || { echo "planted $((rows / 100)) orphans, psql counts $expected" >&2; exit 1; }
found=$(cd "$work/orphans" && "$strata" check --db "$(url bench_orphans)" 2>&1 || true)
[[ $found == *"FAILED $expected row(s)"* ]] || { echo "strata check did not count $expected orphans: $found" >&2; exit 1; }

# Diff: the peers' W4 tables in PostgreSQL's types.
tables=$n differ=$((n / 20 > 0 ? n / 20 : 1))
python3 - "$tables" "$differ" "$work" <<'PY'
import sys
n, k, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
types = ["bigint", "text", "double precision", "numeric", "bytea"]
kinds = ["add_column", "drop_column", "change_type", "not_null_default", "add_index"]
step = max(1, n // k)
differ = {1 + m * step: kinds[m % len(kinds)] for m in range(k)}
def table(i, kind):
    cols = [("id", "bigint PRIMARY KEY")] + [(f"c{j:02d}", types[(i + j) % 5]) for j in range(1, 20)]
    extra = ""
    if kind == "add_column": cols.append(("c20", "text"))
    elif kind == "drop_column": cols.pop()
    elif kind == "change_type": cols[5] = (cols[5][0], "text" if cols[5][1] != "text" else "bigint")
    elif kind == "not_null_default": cols[7] = (cols[7][0], cols[7][1] + " NOT NULL DEFAULT '0'")
    elif kind == "add_index": extra = f"CREATE INDEX idx_w{i:05d}_c03 ON w{i:05d} (c03);\n"
    return f"CREATE TABLE w{i:05d} (" + ", ".join(f"{c} {t}" for c, t in cols) + ");\n" + extra
for side, kind_of in (("a", lambda i: None), ("b", differ.get)):
    with open(f"{work}/diff_{side}.sql", "w") as f:
        f.write("BEGIN;\n" + "".join(table(i, kind_of(i)) for i in range(1, n + 1)) + "COMMIT;\n")
PY
for side in a b; do
  psql_q "$STRATA_TEST_PG" -c "CREATE DATABASE bench_diff_$side" >/dev/null
  psql_q "$(url bench_diff_$side)" -f "$work/diff_$side.sql" >/dev/null
done
pg_dump=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/pg_dump
: > "$work/or.strata"; : > "$work/or.psql"; : > "$work/df.strata"; : > "$work/df.psql"
for r in $(seq 1 "$runs"); do
  t0=$(now); (cd "$work/orphans" && "$strata" check --db "$(url bench_orphans)" >/dev/null 2>&1 || true); t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/or.strata"
  t0=$(now); psql_q "$(url bench_orphans)" -At -c "$orphan_sql" >/dev/null; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/or.psql"
  t0=$(now); "$strata" diff --allow-destructive --from "$(url bench_diff_a)" --to "$(url bench_diff_b)" > "$work/diff.out"; t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/df.strata"
  t0=$(now)
  "$pg_dump" --schema-only "$(url bench_diff_a)" > "$work/dump_a.sql"
  "$pg_dump" --schema-only "$(url bench_diff_b)" > "$work/dump_b.sql"
  diff "$work/dump_a.sql" "$work/dump_b.sql" > /dev/null || true
  t1=$(now)
  echo $(( (t1 - t0) / 1000000 )) >> "$work/df.psql"
done
named=$(grep -c '^-- changes: .*"w[0-9]*"' "$work/diff.out" || true)
[ "$named" -ge "$differ" ] || { echo "strata diff names $named changes for $differ differing tables" >&2; exit 1; }

applied=$(psql_q "$(url bench_strata_1)" -At -c "SELECT count(*) FROM strata_migrations")
[ "$applied" -ge "$n" ] || { echo "strata applied $applied of $n" >&2; exit 1; }
for what in up st or df; do
  s=$(median < "$work/$what.strata"); p=$(median < "$work/$what.psql")
  case $what in
    up) label="apply $n migrations" ;;
    st) label="status with $n applied" ;;
    or) label="orphans in $rows rows" ;;
    df) label="diff of two $n-table dbs" ;;
  esac
  awk -v l="$label" -v s="$s" -v p="$p" 'BEGIN {printf "%-28s strata %6d ms   psql %6d ms   %.2fx\n", l, s, p, s / p}'
done
