#!/usr/bin/env bash
# bench/run --peers refuses a missing harness or a wrong workload before it
# builds or installs anything: CI never runs the harness itself (its setup
# installs Debian and npm packages), so these are the checks that run there.
set -u
run=${1:?usage: run_peers_test.sh BENCH_RUN}
status=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

expect() {  # exit status, pattern the message must match, then the arguments
  local want=$1 pattern=$2 rc
  shift 2
  "$run" --out "$tmp/out" "$@" > "$tmp/stdout" 2> "$tmp/stderr"
  rc=$?
  if [ "$rc" != "$want" ] || ! grep -qE -- "$pattern" "$tmp/stderr"; then
    echo "FAIL: bench/run $* exited $rc (want $want), stderr not matching /$pattern/:"
    cat "$tmp/stderr"
    status=1
  fi
  if [ -e "$tmp/out" ]; then
    echo "FAIL: bench/run $* wrote $tmp/out before refusing"
    status=1
  fi
}

expect 2 'no peers harness in /nonexistent .*--peers-dir' --peers --peers-dir /nonexistent
STRATA_PEERS_DIR=/nonexistent expect 2 'no peers harness in /nonexistent' --peers

# A stand-in harness: run.sh and setup.sh fail if ever called.
mkdir -p "$tmp/peers/lib"
printf '#!/bin/sh\necho called >&2; exit 99\n' > "$tmp/peers/run.sh"
cp "$tmp/peers/run.sh" "$tmp/peers/setup.sh"
chmod +x "$tmp/peers/run.sh" "$tmp/peers/setup.sh"
printf 'class Bench:\n    def w1_cases(self):\n        pass\n\n    def w4s_cases(self):\n        pass\n' \
  > "$tmp/peers/lib/bench.py"
expect 2 'unknown peers workload W9 \(the harness has: W1 W4S\)' --peers-dir "$tmp/peers" --peers-workloads "w1 W9"
expect 2 '--peers-workloads is empty' --peers-dir "$tmp/peers" --peers-workloads " , "
expect 2 '--peers-dir needs a folder' --peers-dir

"$run" --help > "$tmp/help"
for opt in --peers --peers-dir --peers-workloads --peers-record; do
  grep -qE -- "^  $opt( |$)" "$tmp/help" || { echo "FAIL: bench/run --help does not describe $opt"; status=1; }
done
exit $status
