#!/usr/bin/env bash
# Runs every benchmark binary in $1 and writes one JSON result file per binary into $2.
# Each result carries bytes_per_second (MB/s), items_per_second (rows/s) and peak_rss_mb.
set -euo pipefail
bench_dir=$1
out_dir=$2
mkdir -p "$out_dir"
shopt -s nullglob
found=0
for binary in "$bench_dir"/*_bench; do
  [ -x "$binary" ] || continue
  found=1
  name=$(basename "$binary")
  echo "== $name"
  "$binary" --benchmark_out="$out_dir/$name.json" --benchmark_out_format=json \
    --benchmark_counters_tabular=true ${BENCH_FILTER:+--benchmark_filter="$BENCH_FILTER"}
done
if [ $found -eq 0 ]; then
  echo "run-benchmarks: no benchmark binaries in $bench_dir" >&2
  exit 1
fi
echo "results: $out_dir/*.json"
