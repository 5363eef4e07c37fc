#!/usr/bin/env bash
# Fails when a tracked C++ file is not formatted with the repository's .clang-format.
set -euo pipefail
cd "$1"
files=$(git ls-files '*.cpp' '*.hpp' '*.h' 2>/dev/null || find . -name '*.cpp' -o -name '*.hpp')
if ! command -v clang-format >/dev/null; then
  echo "clang-format is not installed: run scripts/setup" >&2
  exit 1
fi
bad=$(echo "$files" | xargs clang-format --dry-run 2>&1 | grep -c 'warning:' || true)
if [[ $bad -gt 0 ]]; then
  echo "$bad lines would change; run: git ls-files '*.cpp' '*.hpp' | xargs clang-format -i" >&2
  echo "$files" | xargs clang-format --dry-run 2>&1 | grep 'warning:' | head -20 >&2
  exit 1
fi
echo "all $(echo "$files" | wc -l) C++ files formatted"
