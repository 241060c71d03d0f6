#!/bin/sh
# Runs the unit test binaries of build directory $1, then every tests/cli/*.sh script
# against $1/w2v, and prints one closing line "N passed, N failed, N skipped". A part that
# cannot run here (an instruction set the CPU lacks, a tool that is not installed) is
# skipped, and its tally line says which and why.
B=${1:-build}
here=$(cd "$(dirname "$0")" && pwd)
results=$(mktemp)
trap 'rm -f "$results"' EXIT INT TERM

passed=0
failed=0
skipped=0
for t in "$B"/tests/*/test_*; do
    [ -x "$t" ] || continue
    line=$("$t" | tail -n 1)
    status=$?
    echo "$line"
    p=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p')
    f=$(echo "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p')
    k=$(echo "$line" | sed -n 's/.* failed, \([0-9]*\) skipped.*/\1/p')
    skipped=$((skipped + ${k:-0}))
    if [ -z "$p" ]; then
        echo "$t: crashed or printed no tally"
        failed=$((failed + 1))
        continue
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done

# Fuzz targets replayed over their seeds (and kept crashers).
for r in "$B"/fuzz/replay_*; do
    [ -x "$r" ] || continue
    t=${r##*/replay_}
    # In a directory of its own, which must be empty afterwards: a replay leaves no files.
    scratch=$(mktemp -d)
    line=$(TMPDIR="$scratch" "$r" "$here"/fuzz/seeds/"$t"/* | tail -n 1)
    status=$?
    left=$(ls -A "$scratch")
    rm -rf "$scratch"
    why=
    if [ $status -ne 0 ] || [ -z "$line" ]; then
        why="status $status"
    elif [ -n "$left" ]; then
        why="left temporary files: $left"
    fi
    if [ -n "$why" ]; then
        echo "fuzz replay $t: failed ($why)"
        failed=$((failed + 1))
        continue
    fi
    echo "fuzz replay $t: $(echo "$line" | sed 's/^[^:]*: //')"
    passed=$((passed + $(echo "$line" | sed 's/.*: \([0-9]*\) passed.*/\1/')))
done

W2V=$(cd "$B" && pwd)/w2v
GENCORPUS=$(cd "$B" && pwd)/gencorpus
export W2V GENCORPUS
for s in "$here"/cli/*.sh; do
    [ -f "$s" ] || continue
    case $(basename "$s") in lib.sh) continue ;; esac
    : > "$results.one"
    RESULTS="$results.one" sh "$s"
    rc=$?
    p=$(grep -c '^pass' "$results.one")
    f=$(grep -c '^fail' "$results.one")
    k=$(grep -c '^skip' "$results.one")
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        echo "$(basename "$s"): script stopped with status $rc"
        f=1
    fi
    if [ "$k" -gt 0 ]; then
        echo "$(basename "$s" .sh): $p passed, $f failed, $k skipped ($(grep -m 1 '^skip' "$results.one" | sed 's/^skip //'))"
    else
        echo "$(basename "$s" .sh): $p passed, $f failed"
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + k))
done
rm -f "$results.one"

echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
