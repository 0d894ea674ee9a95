#!/usr/bin/env bash
# Runs every fuzzer in $1 for $2 seconds each, with a per-fuzzer corpus directory under
# build/fuzz-corpus/ that persists between runs. Fails on the first crash. With FUZZ_SEED set,
# libFuzzer starts from that seed, so that a short run (as in CI) explores the same inputs
# every time.
set -euo pipefail
fuzz_dir=$1
seconds=$2
shopt -s nullglob
for fuzzer in "$fuzz_dir"/*_fuzzer; do
  name=$(basename "$fuzzer")
  corpus="build/fuzz-corpus/$name"
  mkdir -p "$corpus"
  log="build/fuzz-corpus/$name.log"
  echo "== $name ($seconds s)"
  if ! "$fuzzer" -max_total_time="$seconds" -print_final_stats=1 \
    ${FUZZ_SEED:+-seed="$FUZZ_SEED"} "$corpus" > "$log" 2>&1; then
    tail -n 80 "$log"
    echo "run-fuzzers: $name failed (log: $log; libFuzzer saved the input as crash-* or" \
      "leak-* in $(pwd))" >&2
    exit 1
  fi
  tail -n 3 "$log"
done
