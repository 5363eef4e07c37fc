#!/usr/bin/env bash
# `sesim report` on bad input: every refusal exits 2 with a message naming the problem, and
# writes nothing (no page, no temporary file). Then one good page, written through a
# temporary that is gone afterwards. Usage: report_cli.sh SESIM_BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
sesim=$1
src=$2
work=$3
rm -rf "$work"
mkdir -p "$work"
cd "$work"
"$sesim" run "$src/scenarios/baseline.ini" "$src/scenarios/setaside_5pct.ini" -r 4 \
    --set months=24 -q -o study.h5
"$sesim" run "$src/scenarios/setaside_5pct.ini" "$src/scenarios/brokerage.ini" -r 4 \
    --set months=24 -q -o nobase.h5
"$sesim" run "$src/scenarios/baseline.ini" -r 4 --set months=24 -q -o alone.h5
echo "not a result file" >text.h5
printf 'parameter,output,date,index,estimate,low,high\np,se_scaled,,ST,x,,\n' >bad.csv
mkdir folder

fails=0
# refuses "WHAT IT MUST SAY" ARGS...: exit code 2, the message, and no file beside out.html.
refuses() {
    local says=$1
    shift
    local status=0
    "$sesim" report "$@" >stdout.txt 2>stderr.txt || status=$?
    if [[ $status -ne 2 ]]; then
        echo "FAIL: sesim report $* exited $status, expected 2" >&2
        fails=$((fails + 1))
    elif ! grep -qF -- "$says" stderr.txt; then
        echo "FAIL: sesim report $*: message lacks '$says':" >&2
        cat stderr.txt >&2
        fails=$((fails + 1))
    fi
    if compgen -G "out.html*" >/dev/null || compgen -G "folder/*" >/dev/null; then
        echo "FAIL: sesim report $* left a file: $(ls out.html* folder/* 2>/dev/null)" >&2
        fails=$((fails + 1))
        rm -f out.html* folder/*
    fi
}

refuses "no result file given"
refuses "no output page given" study.h5
refuses "not an HDF5 file" text.h5 -o out.html
refuses "missing.h5" missing.h5 -o out.html
refuses "has no scenario named 'baseline'" nobase.h5 -o out.html
refuses "holds only the scenario 'baseline'" alone.h5 -o out.html
refuses "has no scenario 'nope' to use as baseline" study.h5 -o out.html --baseline nope
refuses "date 2099-12 is outside the months" study.h5 -o out.html --at 2099-12
refuses "--at 'December' is not a month" study.h5 -o out.html --at December
refuses "--lang 'de' is not a language" study.h5 -o out.html --lang de
refuses "folder 'no/such' does not exist" study.h5 -o no/such/out.html
refuses "is a folder" study.h5 -o folder
cp study.h5 keep.h5
refuses "is the result file itself" study.h5 -o ./study.h5
cmp -s study.h5 keep.h5 || { echo "FAIL: the result file changed" >&2; fails=$((fails + 1)); }
refuses "line 2: estimate 'x' is not a number" study.h5 -o out.html --sensitivity bad.csv
refuses "cannot open the file" study.h5 -o out.html --sensitivity missing.csv
# A folder without write permission (root passes permission bits, so only as another user).
if [[ $(id -u) -ne 0 ]]; then
    mkdir locked && chmod a-w locked
    refuses "cannot create files in" study.h5 -o locked/out.html
fi

# The page, written under a temporary name and renamed: nothing else is left.
"$sesim" report study.h5 -o out.html 2>stderr.txt
grep -qF "wrote out.html" stderr.txt || { echo "FAIL: no 'wrote' message" >&2; fails=$((fails + 1)); }
[[ -s out.html ]] || { echo "FAIL: no page" >&2; fails=$((fails + 1)); }
if compgen -G "out.html.*" >/dev/null; then
    echo "FAIL: temporary left: $(ls out.html.*)" >&2
    fails=$((fails + 1))
fi
# Self-contained: no markup that refers to anything outside the page (scripts, styles,
# images), outside the inline scripts (whose code may build such markup for its own use).
perl -0pe 's/<script\b.*?<\/script>//gs' out.html >markup.txt
if grep -Eiq '<(script|link|img|iframe)[^>]+(src|href)=' markup.txt; then
    echo "FAIL: the page loads an external resource:" >&2
    grep -Eio '<(script|link|img|iframe)[^>]+(src|href)=[^>]*>' markup.txt | head -3 >&2
    fails=$((fails + 1))
fi
# Markup in a scenario's name or description is text on the page, not markup: neither the
# HTML nor the embedded JSON can end the data's <script> element.
cat >tricky.ini <<INI
base = $src/scenarios/setaside_5pct.ini
name = tricky
description = A "quoted" </script><script>alert(1)</script> & <b>bold</b> <!-- comment
INI
"$sesim" run "$src/scenarios/baseline.ini" tricky.ini -r 2 --set months=12 -q -o tricky.h5
"$sesim" report tricky.h5 -o tricky.html 2>/dev/null
if grep -Fq '<script>alert(1)' tricky.html || grep -Fq '<b>bold' tricky.html ||
    grep -Fq '<!-- comment' tricky.html; then
    echo "FAIL: a scenario description reached the page as markup" >&2
    fails=$((fails + 1))
fi
grep -Fq '&lt;/script&gt;&lt;script&gt;alert(1)' tricky.html ||
    { echo "FAIL: the description is not on the page as text" >&2; fails=$((fails + 1)); }
# With --baseline a file without 'baseline' is fine.
"$sesim" report nobase.h5 -o nobase.html --baseline setaside_5pct 2>/dev/null ||
    { echo "FAIL: --baseline on a file without 'baseline'" >&2; fails=$((fails + 1)); }

cd /
rm -rf "$work"
if ((fails > 0)); then
    echo "report_cli: $fails failure(s)" >&2
    exit 1
fi
echo "report_cli: every refusal exits 2 and writes nothing; the page is written whole"
