#!/usr/bin/env bash
# Resume and merge of `sesim sweep`, through the real command line:
#   1. kill -9 at random moments, again and again, each time resumed: the final file holds the
#      same data as an uninterrupted sweep, bit for bit;
#   2. SIGTERM stops within seconds, exit 130, saves every finished run, prints the resume
#      command; resuming finishes with the same data;
#   3. a resume against another sweep file or definition, or another shard, is refused, and so
#      is a second sweep into a file that a running sweep writes;
#   4. shards (--shard I/N) merged by `sesim merge` equal the whole sweep; merge refuses a
#      repeated, missing, foreign or unfinished shard.
# Usage: sweep_resume.sh SESIM SOURCE_DIR
set -euo pipefail
sesim=$1
src=$2
work=$(mktemp -d /tmp/sesim-sweep-resume.XXXXXX)
trap 'rm -rf "$work"' EXIT
same() { /usr/bin/python3 "$src/tests/app/sweep_same_data.py" "$1" "$2"; }
fail() { echo "sweep_resume: FAILED: $*" >&2; exit 1; }
# Runs a command that must fail with exit code $1 and print $2; shows what it printed.
refused() {
  local code=$1 text=$2
  shift 2
  local out rc=0
  out=$("$@" 2>&1) || rc=$?
  [[ $rc -eq $code ]] || fail "expected exit $code, got $rc from: $* -> $out"
  grep -qF -- "$text" <<<"$out" || fail "expected '$text' in: $out"
  echo "sweep_resume: refused as expected: ${out%%$'\n'*}"
}

# 300 runs of 60 months: a few seconds on 2 threads, long enough to be killed many times.
sweep=$work/resume.ini
sed -e "s|@BASE@|$src/scenarios/baseline.ini|" -e 's/^design = .*/design = lhs/' \
    -e 's/^samples = .*/samples = 100/' -e 's/^replicates = .*/replicates = 3/' \
    -e 's/^months = .*/months = 60/' -e 's/^keep = .*/keep = series/' \
    "$src/tests/app/sweep_small.ini" | sed 's/^name = small/name = resume/' >"$sweep"
"$sesim" sweep "$sweep" -o "$work/reference.h5" -t 2 -q

# ---- 1. kill -9 at random moments --------------------------------------------------------------
out=$work/killed.h5
kills=0
for attempt in $(seq 40); do
  [[ -f $out ]] && break
  "$sesim" sweep "$sweep" -o "$out" -t 2 -q --resume --checkpoint 0.2 &
  pid=$!
  # Moments from 1 ms (while the file is being created) to 0.4 s.
  sleep "0.$(printf '%03d' $((1 + RANDOM % 400)))"
  if kill -9 "$pid" 2>/dev/null; then kills=$((kills + 1)); fi
  wait "$pid" 2>/dev/null || true
done
if [[ ! -f $out ]]; then "$sesim" sweep "$sweep" -o "$out" -t 2 -q --resume; fi
echo "sweep_resume: killed with SIGKILL $kills times"
((kills >= 3)) || fail "only $kills kills landed; the sweep finished too fast to test"
same "$work/reference.h5" "$out"
[[ ! -e $out.partial ]] || fail "$out.partial left behind"

# ---- 2. SIGTERM ----------------------------------------------------------------------------------
out=$work/term.h5
"$sesim" sweep "$sweep" -o "$out" -t 2 >"$work/term.log" 2>&1 &
pid=$!
sleep 0.5
start=$(date +%s%N)
kill -TERM "$pid"
rc=0
wait "$pid" || rc=$?
ms=$(( ($(date +%s%N) - start) / 1000000 ))
cat "$work/term.log"
[[ $rc -eq 130 ]] || fail "SIGTERM: exit $rc, expected 130"
((ms < 5000)) || fail "SIGTERM: took $ms ms to stop"
grep -q -- "--resume" "$work/term.log" || fail "SIGTERM: no resume command printed"
echo "sweep_resume: SIGTERM stopped the sweep in $ms ms"
refused 2 "add --resume" "$sesim" sweep "$sweep" -o "$out" -t 2 -q
"$sesim" sweep "$sweep" -o "$out" -t 2 -q --resume
same "$work/reference.h5" "$out"
"$sesim" sweep "$sweep" -o "$out" -q --resume 2>&1 | grep -q "is complete" || fail "no 'complete'"

# ---- 3. refusals ---------------------------------------------------------------------------------
out=$work/refuse.h5
# Another definition (4 replicates), used below whether or not the kill leaves a .partial.
sed 's/^replicates = 3/replicates = 4/' "$sweep" >"$work/other.ini"
"$sesim" sweep "$sweep" -o "$out" -t 2 -q &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
# Another definition, needed below whether or not the kill left a working file (on a busy
# machine it can come before the file exists).
sed 's/^replicates = 3/replicates = 4/' "$sweep" >"$work/other.ini"
if [[ -f $out.partial ]]; then
  refused 2 "replicates = 3" "$sesim" sweep "$work/other.ini" -o "$out" --resume -q
  cp "$sweep" "$work/renamed.ini"
  sed -i '/^name = /d' "$work/renamed.ini"
  refused 2 "holds sweep 'resume'" "$sesim" sweep "$work/renamed.ini" -o "$out" --resume -q
  refused 2 "holds shard 0/1" "$sesim" sweep "$sweep" -o "$out" --resume -q --shard 1/2
fi
refused 2 "holds sweep" "$sesim" sweep "$work/other.ini" -o "$work/reference.h5" --resume -q

# A second sweep into a file that one is still writing is refused; the first one is unharmed.
out=$work/busy.h5
"$sesim" sweep "$sweep" -o "$out" -t 1 -q &
pid=$!
sleep 0.5
if kill -0 "$pid" 2>/dev/null; then
  refused 2 "is in use by process" "$sesim" sweep "$sweep" -o "$out" --resume -q
fi
wait "$pid"
same "$work/reference.h5" "$out"

# ---- 4. shards and merge -------------------------------------------------------------------------
for i in 0 1 2; do
  "$sesim" sweep "$sweep" -o "$work/shard-$i.h5" --shard "$i/3" -t 2 -q
done
"$sesim" merge "$work"/shard-{2,0,1}.h5 -o "$work/merged.h5"
same "$work/reference.h5" "$work/merged.h5"
refused 2 "given twice" "$sesim" merge "$work"/shard-{0,1,2,0}.h5 -o "$work/m.h5"
refused 2 "missing: 1 (shard 1)" "$sesim" merge "$work"/shard-{0,2}.h5 -o "$work/m.h5"
"$sesim" sweep "$work/other.ini" -o "$work/foreign.h5" --shard 1/3 -t 2 -q
refused 2 "belongs to sweep" "$sesim" merge "$work"/shard-0.h5 "$work/foreign.h5" \
  "$work/shard-2.h5" -o "$work/m.h5"
"$sesim" sweep "$sweep" -o "$work/shard2of2.h5" --shard 1/2 -t 2 -q
refused 2 "one --shard I/N split" "$sesim" merge "$work"/shard-0.h5 "$work/shard2of2.h5" \
  -o "$work/m.h5"
"$sesim" sweep "$sweep" -o "$work/cut.h5" --shard 1/3 -t 1 -q --checkpoint 0.1 &
pid=$!
sleep 0.3
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
if [[ -f $work/cut.h5.partial ]]; then
  refused 2 "unfinished" "$sesim" merge "$work"/shard-0.h5 "$work/cut.h5.partial" \
    "$work/shard-2.h5" -o "$work/m.h5"
fi
[[ ! -e $work/m.h5 ]] || fail "a refused merge wrote its output"
echo "sweep_resume: passed"
