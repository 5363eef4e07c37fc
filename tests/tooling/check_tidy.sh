#!/usr/bin/env bash
# clang-tidy with the checks of .clang-tidy, every warning an error, over every source file of
# the project that the build compiles (model/, output/, solvers/, app/, report/, bench/) and
# the project headers they include. The tests are not linted: Catch2's macros expand to code
# the bugprone checks object to, and linting them would double the time of the step.
# Needs a clang build's compile_commands.json (scripts/check-hardening uses build-asan/: the
# flags of a GCC build are not all known to clang).
# Usage: check_tidy.sh BUILD_DIR SOURCE_DIR [JOBS]
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
jobs=${3:-$(nproc)}
tidy=$(command -v run-clang-tidy-14 || command -v run-clang-tidy || true)
[[ -n $tidy ]] || { echo "check_tidy: run-clang-tidy is missing: run scripts/setup" >&2; exit 1; }
[[ -f $build/compile_commands.json ]] ||
  { echo "check_tidy: no $build/compile_commands.json: configure a clang build there" >&2; exit 1; }
dirs='(model|output|solvers|app|report|bench)'
log=$build/clang-tidy.log
status=0
# run-clang-tidy takes the file pattern as a regular expression over the compile database.
"$tidy" -p "$build" -j "$jobs" -quiet -header-filter="^$src/$dirs/" "^$src/$dirs/[^/]*\\.cpp\$" \
  >"$log" 2>&1 || status=$?
files=$(grep -c "^clang-tidy" "$log" || true)
# Colour codes off, then one line per finding, each once (a header's finding repeats).
findings=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E "^[^ ]+:[0-9]+:[0-9]+: (warning|error):" |
  sort -u || true)
if ((status != 0)) || [[ -n $findings ]]; then
  echo "$findings" | head -100 >&2
  echo "check_tidy: $(echo "$findings" | grep -c . || true) findings in $files files" \
    "(exit $status; the whole log: $log)" >&2
  exit 1
fi
echo "check_tidy: $files files, no finding"
