# lib.sh: helpers sourced by the command-line test scripts. Each check appends "pass ..."
# or "fail ..." to $RESULTS; tests/run.sh counts them. $W2V is the binary under test and
# $T a scratch directory removed on exit.
set -u
W2V=${W2V:-build/w2v}
RESULTS=${RESULTS:-/dev/null}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT INT TERM

pass() { echo "pass $*" >> "$RESULTS"; }
# skip WHY: a check that cannot run here (a missing tool); tests/run.sh shows the reason.
skip() { echo "skip $*" >> "$RESULTS"; }
fail() { echo "fail $*" >> "$RESULTS"; echo "FAIL: $*" >&2; }

# check DESC CMD...: passes when CMD succeeds.
check() {
    desc=$1; shift
    if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# expect_exit CODE PATTERN DESC CMD...: runs CMD with stdout to $T/out and stderr to
# $T/err; passes when it exits with CODE and stderr contains PATTERN (a grep -E regex;
# "" matches anything). For failures also requires stderr to be exactly one line.
expect_exit() {
    code=$1 pat=$2 desc=$3; shift 3
    "$@" > "$T/out" 2> "$T/err"
    rc=$?
    if [ "$rc" -ne "$code" ]; then
        fail "$desc: exit $rc, expected $code; stderr: $(head -c 300 "$T/err")"
        return
    fi
    if [ -n "$pat" ] && ! grep -Eq -- "$pat" "$T/err"; then
        fail "$desc: stderr lacks /$pat/: $(head -c 300 "$T/err")"
        return
    fi
    if [ "$code" -ne 0 ] && [ "$(grep -cv '^Try ' "$T/err")" -ne 1 ]; then
        fail "$desc: expected one error line, got: $(head -c 300 "$T/err")"
        return
    fi
    pass "$desc"
}
