#!/usr/bin/env bash
# bench/run.sh: how fast idtriage hunts a tenant, against DuckDB on the same
# files, measured on this machine in one run.
#
# It generates a synthetic tenant (idtriage simulate; by default 2,100 users
# over 15 days, about a million sign-ins of 4.5 KB, 4.7 GB), then, a few
# times over and interleaved, runs on the same NDJSON:
#
#   hunt-all   idtriage hunt with every default rule
#   hunt-two   idtriage hunt with only ENTRA-RISKY-COUNTRIES and
#              ENTRA-CA-BLOCK-BURST enabled
#   duckdb     the same two rules as SQL in DuckDB (bench/duckdb), read_json
#              over the same files and window functions over 24 hours
#   hunt-newest  idtriage hunt with every default rule over the same records
#              in one file, newest first, as a Graph pull writes them: hunt
#              reads it again and sorts it on disk; its alerts must be those
#              of hunt-all
#   hunt-risk  idtriage hunt with every default rule over the logs and the
#              risk detections beside them, as the README runs it: the
#              risk file spans the whole period, so the files are merged by
#              time
#
# each on every core, and once more on one core (GOMAXPROCS=1 and DuckDB
# threads=1, pinned with taskset when it exists). It prints medians: wall
# time, records and MB per second (in all and per core), CPU seconds, peak
# resident memory (/usr/bin/time), the DuckDB ratio, and whether both found
# the same users.
#
# Usage: bench/run.sh [--users N] [--days D] [--seed S] [--runs R]
#                     [--data DIR] [--keep] [--smoke]
#
#   --smoke   a small tenant and one run, for CI: checks the script works
#   --keep    keep the generated tenant (it is reused by the next run with
#             the same sizes and seed); by default it is deleted at the end
#
# Needs Go, a C compiler (DuckDB's Go driver uses cgo) and /usr/bin/time.
# The tenant lands in bench/data (ignored by git); the script refuses to
# start when the disk lacks twice its size.
set -euo pipefail
cd "$(dirname "$0")/.."

users=2100 days=15 seed=1 runs=3 data=bench/data keep=0 smoke=0
while [ $# -gt 0 ]; do
  case "$1" in
    --users) users=$2; shift ;;
    --days) days=$2; shift ;;
    --seed) seed=$2; shift ;;
    --runs) runs=$2; shift ;;
    --data) data=$2; shift ;;
    --keep) keep=1 ;;
    --smoke) smoke=1 users=60 days=2 runs=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "bench/run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

for tool in go /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool is required" >&2; exit 1; }
done
cores=$(nproc)

# About 33 sign-ins of 4.6 KB per user and day; ask for three times that
# free (the tenant, its newest-first copy, the sort's runs and slack).
need_mb=$(( users * days * 33 * 46 / 10000 + 50 ))
mkdir -p "$data"
free_mb=$(df -Pm "$data" | awk 'NR == 2 { print $4 }')
if [ "$free_mb" -lt $(( 3 * need_mb )) ]; then
  echo "bench/run.sh: the tenant needs about $need_mb MB and $data has $free_mb MB free" >&2
  exit 1
fi

echo "== build"
mkdir -p bench/bin
# With Go's SIMD experiment, as `make build` builds it: the picker looks over
# each sign-in with AVX2 (internal/ingest/fast_scan_simd.go).
GOEXPERIMENT=simd go build -o bench/bin/idtriage ./cmd/idtriage
(cd bench && go build -o bin/duckdb-hunt ./duckdb)
idtriage=bench/bin/idtriage duckdb=bench/bin/duckdb-hunt

tenant="$data/tenant-u$users-d$days-s$seed"
logs="$tenant/logs"
if [ ! -f "$tenant/truth.json" ]; then
  echo "== generate $users users over $days days (seed $seed) in $tenant"
  rm -rf "$tenant"
  /usr/bin/time -f "generated in %e s, peak %M KB" \
    "$idtriage" simulate --users "$users" --days "$days" --seed "$seed" --out "$tenant" >/dev/null
fi
cleanup() { [ "$keep" = 1 ] || rm -rf "$tenant"; }
trap cleanup EXIT

field() { sed -n "s/^  \"$1\": \([0-9]*\),*$/\1/p" "$tenant/truth.json"; }
signins=$(field signins) audits=$(field audits) bytes=$(field bytes)
records=$(( signins + audits ))
echo "tenant: $signins sign-ins, $audits audits, $bytes bytes ($(( bytes / records )) bytes a record)"

# A rules file that leaves only the two rules DuckDB runs.
two="$tenant/two-rules.yaml"
"$idtriage" rules defaults | grep -oE '^ENTRA-[A-Z-]+' | sort -u | while read -r id; do
  case "$id" in
    ENTRA-RISKY-COUNTRIES|ENTRA-CA-BLOCK-BURST) ;;
    *) printf '%s:\n  enabled: false\n' "$id" ;;
  esac
done > "$two"

newest="$tenant/newest-first"
if [ ! -f "$newest/pull.ndjson" ]; then
  mkdir -p "$newest"
  for f in $(ls -r "$logs"/*); do tac "$f"; done > "$newest/pull.ndjson"
fi

echo "== warm the page cache"
cat "$logs"/* "$newest"/* > /dev/null

out=$(mktemp -d)
trap 'rm -rf "$out"; cleanup' EXIT

# measure LABEL CMD...: runs CMD, keeps wall, user+system CPU and peak RSS.
measure() {
  local label=$1; shift
  /usr/bin/time -f "%e %U %S %M" -o "$out/time" "$@" > "$out/$label.out" 2> "$out/$label.err" || {
    echo "bench/run.sh: $label failed:" >&2; tail -5 "$out/$label.err" >&2; exit 1; }
  read -r wall user sys rss < "$out/time"
  echo "$wall $(echo "$user + $sys" | bc) $rss" >> "$out/$label.times"
  printf '  %-12s %7.2f s wall  %7.2f s CPU  %6d MiB peak\n' "$label" "$wall" \
    "$(echo "$user + $sys" | bc)" $(( rss / 1024 ))
}

pin=""
command -v taskset >/dev/null && pin="taskset -c 0"
for r in $(seq "$runs"); do
  echo "== run $r of $runs"
  measure hunt-all "$idtriage" hunt --format ndjson "$logs"
  measure hunt-two "$idtriage" hunt --format ndjson --rules "$two" "$logs"
  measure duckdb "$duckdb" -logs "$logs"
  measure hunt-newest "$idtriage" hunt --format ndjson --temp-dir "$tenant" "$newest"
  measure hunt-risk "$idtriage" hunt --format ndjson "$logs" "$tenant/risk"
  measure hunt-all-1core env GOMAXPROCS=1 $pin "$idtriage" hunt --format ndjson "$logs"
  measure hunt-two-1core env GOMAXPROCS=1 $pin "$idtriage" hunt --format ndjson --rules "$two" "$logs"
  measure duckdb-1core $pin "$duckdb" -threads 1 -logs "$logs"
done

# median COLUMN LABEL: the median of one column of a label's measurements.
median() { awk "{ print \$$1 }" "$out/$2.times" | sort -n | awk '{ v[NR] = $1 }
  END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo
echo "== results: medians of $runs runs, $cores cores, $records records ($signins sign-ins), $(( bytes / 1000000 )) MB"
printf '| %-14s | %5s | %8s | %9s | %10s | %7s | %9s | %7s | %8s |\n' run cores "wall s" \
  "records/s" "rec/s/core" "MB/s" "MB/s/core" "CPU s" "peak MiB"
printf '|%s|\n' "----------------|-------|----------|-----------|------------|---------|-----------|---------|----------"
for label in hunt-all hunt-two duckdb hunt-newest hunt-risk hunt-all-1core hunt-two-1core \
    duckdb-1core; do
  n=$cores
  case "$label" in *-1core) n=1 ;; esac
  wall=$(median 1 "$label") cpu=$(median 2 "$label") rss=$(median 3 "$label")
  awk -v l="$label" -v n="$n" -v w="$wall" -v c="$cpu" -v m="$rss" -v r="$records" -v b="$bytes" \
    'BEGIN { printf "| %-14s | %5d | %8.2f | %9.0f | %10.0f | %7.0f | %9.0f | %7.2f | %8.0f |\n",
      l, n, w, r / w, r / w / n, b / w / 1e6, b / w / 1e6 / n, c, m / 1024 }'
done
ratio() { awk -v a="$(median 1 "$1")" -v b="$(median 1 "$2")" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "DuckDB wall time / idtriage wall time (above 1: idtriage is faster):"
echo "  two rules, all cores: $(ratio duckdb hunt-two)   one core: $(ratio duckdb-1core hunt-two-1core)"
echo "  DuckDB's two rules against idtriage's $(grep -c '^ENTRA-' <("$idtriage" rules list) || true) rules, all cores: $(ratio duckdb hunt-all)"

# Both must flag the same users for the two rules.
echo
echo "== same users flagged?"
status=0
for rule in ENTRA-CA-BLOCK-BURST ENTRA-RISKY-COUNTRIES; do
  ours=$(grep "\"rule\":\"$rule\"" "$out/hunt-two.out" | grep -o '"user":"[^"]*"' | sort -u | wc -l)
  theirs=$(awk -v r="$rule" '$1 == r { print $2 }' "$out/duckdb.out")
  echo "  $rule: idtriage $ours users, DuckDB $theirs users"
  [ "$ours" = "$theirs" ] || status=1
done
[ "$status" = 0 ] || { echo "bench/run.sh: idtriage and DuckDB disagree" >&2; exit 1; }

echo
echo "== same alerts from the newest-first file, sorted on disk?"
grep -h "input sorted" "$out/hunt-newest.err" | tail -1
if ! cmp -s "$out/hunt-all.out" "$out/hunt-newest.out"; then
  echo "bench/run.sh: hunting the newest-first file gave other alerts" >&2
  exit 1
fi
echo "  yes: $(wc -l < "$out/hunt-newest.out") alerts"
