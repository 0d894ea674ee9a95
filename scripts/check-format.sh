#!/usr/bin/env bash
# Checks (or with --fix, applies) clang-format on every C++ source the project tracks.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.h' '*.cc' '*.cpp')
if [ ${#files[@]} -eq 0 ]; then exit 0; fi
if [ "${1:-}" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}"; then
  echo "check-format: files above are not clang-formatted; run 'make format'" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted"
