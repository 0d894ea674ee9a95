#!/usr/bin/env bash
# Runs every fuzzer in $1 for $2 seconds each, with a per-fuzzer corpus directory under
# build/fuzz-corpus/ that persists between runs. Fails on the first crash.
set -euo pipefail
fuzz_dir=$1
seconds=$2
shopt -s nullglob
for fuzzer in "$fuzz_dir"/*_fuzzer; do
  name=$(basename "$fuzzer")
  corpus="build/fuzz-corpus/$name"
  mkdir -p "$corpus"
  echo "== $name ($seconds s)"
  "$fuzzer" -max_total_time="$seconds" -print_final_stats=1 "$corpus" 2>&1 | tail -n 3
done
