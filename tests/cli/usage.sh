# usage.sh: the top-level command line and the documentation of every option.
. "$(dirname "$0")/lib.sh"
here=$(cd "$(dirname "$0")/../.." && pwd)

expect_exit 2 "^w2v: missing command" "no command is a usage error" $W2V
expect_exit 2 "^w2v: frobnicate: unknown command" "unknown command" $W2V frobnicate
expect_exit 0 "" "-h succeeds" $W2V -h
check "-h prints the commands on stdout" grep -q "train" "$T/out"
expect_exit 0 "" "--version succeeds" $W2V --version
check "--version prints the version" grep -Eq "^w2v [0-9]+\.[0-9]+\.[0-9]+$" "$T/out"
expect_exit 0 "" "train -h succeeds" $W2V train -h
check "train -h goes to stdout" test -s "$T/out"

# Every option that 'w2v train -h' lists is documented in the man page and the README.
$W2V train -h | grep -Eo '^ +-[a-z][a-z-]*' | tr -d ' ' | sort -u > "$T/opts"
check "train -h lists at least 20 options" test "$(wc -l < "$T/opts")" -ge 20
missing_man=""
missing_readme=""
while read -r opt; do
    name=${opt#-}
    grep -q -- "B \\\\-$(echo "$name" | sed 's/-/\\\\-/g')" "$here/man/w2v.1" ||
        grep -q -- "BI \\\\-$(echo "$name" | sed 's/-/\\\\-/g')" "$here/man/w2v.1" ||
        grep -q -- "BR \\\\-$(echo "$name" | sed 's/-/\\\\-/g')" "$here/man/w2v.1" ||
        missing_man="$missing_man $opt"
    grep -q -- "\`$opt" "$here/README.md" || missing_readme="$missing_readme $opt"
done < "$T/opts"
check "man page documents every train option (missing:$missing_man)" test -z "$missing_man"
check "README documents every train option (missing:$missing_readme)" test -z "$missing_readme"
check "--version is documented in the man page and the README" sh -c "grep -q -- '\\\\-\\\\-version' '$here/man/w2v.1' && grep -q -- '--version' '$here/README.md'"
check "the README says usage errors add a Try line" grep -q "Try 'w2v train -h'" "$here/README.md"
