# phrases.sh: w2v phrases end to end: the same output from a file, gzip, stdin and a pipe;
# line ends kept; a second pass forms longer phrases; bad options; signals.
. "$(dirname "$0")/lib.sh"
P="$W2V phrases -q"

# 2000 lines of filler words with "new york" on every 20th line, "xa yb zc" on every 30th,
# and "la" ending every 13th line with "lb" starting the next one (a pair only across a
# line end).
awk 'BEGIN {
    s = 4321
    for (line = 0; line < 2000; line++) {
        out = (line % 13 == 1) ? "lb" : ""
        for (i = 0; i < 8; i++) {
            s = (s * 1103515245 + 12345) % 2147483648
            w = "f" int(s / 65536) % 200
            if (i == 3 && line % 20 == 0) w = "new york"
            if (i == 5 && line % 30 == 0) w = "xa yb zc"
            out = out (out == "" ? "" : " ") w
        }
        if (line % 13 == 0) out = out " la"
        print out
    }
}' > "$T/c.txt"
gzip -c "$T/c.txt" > "$T/c.gz"

check "plain file" sh -c "$P '$T/c.txt' > '$T/plain.out'"
check "gzip file gives the same output" sh -c "$P '$T/c.gz' | cmp -s - '$T/plain.out'"
check "stdin from a file gives the same output" sh -c "$P - < '$T/c.txt' | cmp -s - '$T/plain.out'"
check "gzip through a pipe gives the same output" \
    sh -c "cat '$T/c.gz' | $P - | cmp -s - '$T/plain.out'"
mkdir "$T/tmpd"
check "stdin is copied to \$TMPDIR and the copy is gone afterwards" sh -c \
    "TMPDIR='$T/tmpd' $P - < '$T/c.gz' | cmp -s - '$T/plain.out' && test -z \"\$(ls -A '$T/tmpd')\""
expect_exit 1 "^w2v: TMPDIR $T/nodir: cannot create a temporary file for the copy of standard input" \
    "no \$TMPDIR for the copy of stdin" sh -c "TMPDIR='$T/nodir' $P - < '$T/c.txt'"
check "-train FILE -o FILE gives the same output" \
    sh -c "$P -train '$T/c.txt' -o '$T/o.txt' && cmp -s '$T/o.txt' '$T/plain.out'"
check "-o FILE.gz is compressed" \
    sh -c "$P '$T/c.txt' -o '$T/o.gz' && gzip -dc '$T/o.gz' | cmp -s - '$T/plain.out'"
check "one output line per input line" \
    test "$(wc -l < "$T/plain.out")" -eq "$(wc -l < "$T/c.txt")"
check "new york is joined on every line it is on" \
    test "$(grep -c 'new_york' "$T/plain.out")" -eq 100
check "only spaces became '_'" sh -c "tr _ ' ' < '$T/plain.out' | cmp -s - '$T/c.txt'"
check "no pair across a line end" sh -c "! grep -q 'la_lb' '$T/plain.out'"
check "filler pairs are not joined" sh -c "! grep -q 'f[0-9]*_' '$T/plain.out'"
check "a second pass forms three-word phrases" \
    sh -c "$P '$T/c.txt' | $P - > '$T/two.out' && grep -q 'xa_yb_zc' '$T/two.out'"
check "-score npmi joins the planted pairs" \
    sh -c "$P -score npmi -threshold 0.8 '$T/c.txt' > '$T/npmi.out' &&
        grep -q 'new_york' '$T/npmi.out'"
check "a high -threshold joins nothing" \
    sh -c "$P -threshold 1e9 '$T/c.txt' | cmp -s - '$T/c.txt'"
# 60000 distinct words in 300000 pairs do not fit in 1 MiB.
awk 'BEGIN { for (i = 0; i < 300000; i++) {
    sep = (i % 20 == 19) ? "\n" : (i % 20 == 9 ? " new york " : " ")
    printf "w%d%s", (i * 7919) % 60000, sep } }' > "$T/big.txt"
check "a small -memory still writes the text" sh -c \
    "$W2V phrases -memory 1M '$T/big.txt' 2> '$T/mem.err' | tr _ ' ' | cmp -s - '$T/big.txt'"
check "a small -memory warns once" \
    test "$(grep -c 'warning: the counts filled' "$T/mem.err")" -eq 1
check "a small -memory keeps frequent pairs" \
    sh -c "$W2V phrases -q -threshold 10 -memory 1M '$T/big.txt' > '$T/mem.out' &&
        grep -q new_york '$T/mem.out'"
check "-h lists the options with defaults" \
    sh -c "$W2V phrases -h | grep -q -- '-threshold X .*\\[100'"

# Bad options are usage errors: exit 2 and one line.
expect_exit 2 "^w2v: -threshold: expected a number" "-threshold abc" $P -threshold abc "$T/c.txt"
expect_exit 2 "^w2v: -min-count: .*out of range" "-min-count 0" $P -min-count 0 "$T/c.txt"
expect_exit 2 "^w2v: -score: expected word2vec or npmi" "-score foo" $P -score foo "$T/c.txt"
expect_exit 2 "outside -1\\.\\.1" "npmi threshold out of range" \
    $P -score npmi -threshold 2 "$T/c.txt"
expect_exit 2 "^w2v: -memory: " "-memory 0" $P -memory 0 "$T/c.txt"
expect_exit 2 "^w2v: -memory: " "-memory 12X" $P -memory 12X "$T/c.txt"
expect_exit 2 "^w2v: -foo: unknown" "unknown option" $P -foo "$T/c.txt"
expect_exit 2 "^w2v: missing input" "no input" $P
expect_exit 2 "unexpected argument" "two inputs" $P "$T/c.txt" "$T/c.txt"
expect_exit 1 "^w2v: $T/nope\\.txt: No such file or directory$" "missing input file" \
    $P "$T/nope.txt" -o "$T/none.txt"
check "a failed run leaves no output" sh -c "! ls '$T' | grep -q '^none\\.txt'"

# A signal while reading stops the run, exits 128+signal and leaves no file behind.
mkfifo "$T/fifo"
$P -o "$T/sig.txt" "$T/fifo" 2> "$T/sig.err" &
pid=$!
exec 3> "$T/fifo"
cat "$T/c.txt" >&3
sleep 0.3
kill -INT $pid
wait $pid
rc=$?
exec 3>&-
check "SIGINT exits 130" test $rc -eq 130
check "SIGINT is reported in one line" test "$(wc -l < "$T/sig.err")" -eq 1
check "SIGINT is reported as such" grep -q '^w2v: interrupted by signal' "$T/sig.err"
check "SIGINT leaves no output" sh -c "! ls '$T' | grep -q '^sig\\.txt'"
check "SIGINT leaves no temporary file" sh -c "! ls -a '$T' | grep -q '\\.tmp\\.'"

# Every option that 'w2v phrases -h' lists is documented in the man page and the README.
here=$(cd "$(dirname "$0")/../.." && pwd)
$W2V phrases -h | grep -Eo '^ +-[a-z][a-z-]*' | tr -d ' ' | sort -u > "$T/opts"
missing=""
while read -r opt; do
    name=$(echo "${opt#-}" | sed 's/-/\\\\-/g')
    grep -Eq -- "^\\.B[IR]? \\\\-$name" "$here/man/w2v.1" || missing="$missing man:$opt"
    grep -q -- "\`$opt" "$here/README.md" || missing="$missing README:$opt"
done < "$T/opts"
check "phrases -h lists at least 8 options" test "$(wc -l < "$T/opts")" -ge 8
check "man page and README document every phrases option (missing:$missing)" test -z "$missing"
