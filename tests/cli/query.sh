# query.sh: similar, analogy, similarity and eval from the command line: answers on a
# hand-made file, standard input batches, per-query errors and load errors.
. "$(dirname "$0")/lib.sh"

cat > "$T/toy.vec" <<'VEC'
7 3
king 1 1 0
queen 1 -1 0
man 0 1 1
woman 0 -1 1
prince 2 1 0.2
apple 0.1 0 -1
Paris 1 0 0
VEC
gzip -c "$T/toy.vec" > "$T/toy.vec.gz"
m="-m $T/toy.vec"

expect_exit 0 "" "analogy king man woman" $W2V analogy $m -k 1 king man woman
check "... answers queen with cosine 1" grep -qx "queen	1.000000" "$T/out"
expect_exit 0 "" "analogy -method mul" $W2V analogy $m -method mul -k 2 king man woman
check "... ranks queen then Paris" sh -c "cut -f1 '$T/out' | tr '\n' ' ' | grep -qx 'queen Paris '"
expect_exit 0 "" "similar king" $W2V similar $m king
check "... lists the 6 other words, best first" sh -c "cut -f1 '$T/out' | tr '\n' ' ' | grep -qx 'prince Paris man apple queen woman '"
expect_exit 0 "" "similar -k 2" $W2V similar $m -k 2 king
check "... prints 2 rows" test "$(wc -l < "$T/out")" -eq 2
expect_exit 0 "" "similar of two words excludes both" $W2V similar $m king queen
check "... neither query word is listed" sh -c "! cut -f1 '$T/out' | grep -qxE 'king|queen'"
expect_exit 0 "" "similarity man woman" $W2V similarity $m man woman
check "... is 0" grep -qx "0.000000" "$T/out"
expect_exit 0 "" "gzipped vectors load" $W2V similarity -m "$T/toy.vec.gz" king man
check "... cosine 0.5" grep -qx "0.500000" "$T/out"
expect_exit 0 "" "-limit 4 searches only the first rows" $W2V similar $m -limit 4 king
check "... man, queen, woman" sh -c "cut -f1 '$T/out' | tr '\n' ' ' | grep -qx 'man queen woman '"

# Standard input: one query per line, a blank line after each answer, errors per query.
printf 'king man woman\n\nnosuch man woman\nking\nqueen man king\n' |
    $W2V analogy $m -k 1 > "$T/batch.out" 2> "$T/batch.err"
rc=$?
check "batch: exit 1 after a failed query" test $rc -eq 1
check "batch: answers the good queries" sh -c "grep -c . '$T/batch.out' | grep -qx 2"
check "batch: one blank line per query" test "$(grep -c '^$' "$T/batch.out")" -eq 4
check "batch: unknown word reported" grep -qx "w2v: nosuch: not in vocabulary" "$T/batch.err"
check "batch: wrong word count reported" grep -qx "w2v: analogy: expected 3 words, got 1" "$T/batch.err"
check "batch: ends at end of input" sh -c "printf 'king\n' | $W2V similar $m -k 1 | grep -q ."

# Evaluation on hand-made files.
printf ': royal\nMAN KING WOMAN QUEEN\nman king woman prince\nman king woman zzz\n: gram-x\nking queen man woman\n' > "$T/q.txt"
expect_exit 0 "" "eval analogy" $W2V eval analogy $m "$T/q.txt"
check "... per-section and total lines" sh -c "grep -qx 'royal	0.5000	1/2' '$T/out' && grep -qx 'total	0.6667' '$T/out'"
check "... semantic, syntactic and seen" sh -c "grep -qx 'semantic	0.5000' '$T/out' && grep -qx 'syntactic	1.0000' '$T/out' && grep -qx 'seen	3/4' '$T/out'"
printf 'king\tqueen\t5\nking man 5\nking prince 9\nking apple 1\nking paris 7\nking nothing 3\n' > "$T/pairs.txt"
expect_exit 0 "" "eval similarity" $W2V eval similarity $m "$T/pairs.txt"
check "... Spearman 8/sqrt(95), 5 of 6 pairs" grep -qx "pairs	0.8208	0.8347	5/6	unknown skipped" "$T/out"

# Errors: one line each, the right status.
expect_exit 1 "^w2v: nosuch: not in vocabulary$" "unknown word" $W2V similar $m nosuch
expect_exit 1 "No such file or directory" "missing vectors file" $W2V similar -m "$T/none.vec" king
expect_exit 2 "expected 3 words, got 2" "analogy with two words" $W2V analogy $m king man
expect_exit 2 "^w2v: -k: " "bad -k" $W2V similar $m -k 0 king
expect_exit 2 "^w2v: -method: expected add or mul" "bad -method" $W2V analogy $m -method sub a b c
expect_exit 2 "^w2v: -bogus: unknown" "unknown option" $W2V similar $m -bogus king
expect_exit 2 "missing benchmark" "eval without a benchmark" $W2V eval
expect_exit 2 "missing question file" "eval analogy without files" $W2V eval analogy $m
printf '3 2\na 1 2\nb 1\n' > "$T/ragged.vec"
expect_exit 1 "ragged.vec:3: expected 2 values, got 1" "ragged row" $W2V similar -m "$T/ragged.vec" a
printf ': s\na b c\n' > "$T/badq.txt"
expect_exit 1 "badq.txt:2: expected 4 words" "malformed question" $W2V eval analogy $m "$T/badq.txt"
expect_exit 0 "" "similar -h" $W2V similar -h
check "... documents -k" grep -q -- "-k N" "$T/out"

# The same trained vectors as binary (read in place) and as text (parsed) answer alike.
awk 'BEGIN { s = 7; for (i = 0; i < 20000; i++) { s = (s * 1103515245 + 12345) % 2147483648;
    printf "w%d%s", int(s / 65536) % 300, (i % 15 == 14) ? "\n" : " " } }' > "$T/c.txt"
$W2V train -q -threads 1 -size 16 -o "$T/v.bin" "$T/c.txt"
$W2V train -q -threads 1 -size 16 -o "$T/v.txt" "$T/c.txt"
$W2V similar -m "$T/v.bin" -k 20 w7 | cut -f1 > "$T/from-bin"
$W2V similar -m "$T/v.txt" -k 20 w7 | cut -f1 > "$T/from-txt"
check "binary and text vectors give the same neighbours" cmp -s "$T/from-bin" "$T/from-txt"
check "... and 20 of them" test "$(wc -l < "$T/from-bin")" -eq 20
check "a gzipped binary file gives them too" sh -c "gzip -c '$T/v.bin' > '$T/v.bin.gz' && $W2V similar -m '$T/v.bin.gz' -k 20 w7 | cut -f1 | cmp -s - '$T/from-bin'"

# Each command takes only the options that mean something to it.
expect_exit 2 "^w2v: -method: not an option of 'w2v similar'$" "similar -method" $W2V similar $m -method mul king
expect_exit 2 "^w2v: -k: not an option of 'w2v similarity'$" "similarity -k" $W2V similarity $m -k 3 king man
expect_exit 2 "^w2v: -threads: not an option of 'w2v analogy'$" "analogy -threads" $W2V analogy $m -threads 2 king man woman
expect_exit 2 "^w2v: -k: not an option of 'w2v eval analogy'$" "eval analogy -k" $W2V eval analogy $m -k 3 "$T/q.txt"
expect_exit 2 "^w2v: -threads: not an option of 'w2v eval similarity'$" "eval similarity -threads" $W2V eval similarity $m -threads 2 "$T/pairs.txt"
expect_exit 0 "" "eval analogy -threads 1 -method mul" $W2V eval analogy $m -threads 1 -method mul "$T/q.txt"

# Batches stay aligned: every non-blank line gets one block, empty when it fails (an
# over-long line, an unknown word echoed cut to 64 bytes), in input order.
long=$(head -c 70000 /dev/zero | tr '\0' 'x')
word200=$(head -c 200 /dev/zero | tr '\0' 'y')
printf 'king\n%s\n\nqueen\n%s\napple\n' "$long" "$word200" | $W2V similar $m -k 1 > "$T/al.out" 2> "$T/al.err"
check "aligned batch: exit 1" test $? -eq 1
check "aligned batch: 5 blocks for 5 non-blank lines" test "$(grep -c '^$' "$T/al.out")" -eq 5
check "aligned batch: answers in their blocks" sh -c "tr '\n' '|' < '$T/al.out' | grep -qx 'prince	0.944911|||Paris	0.707107|||Paris	0.099504||'"
check "aligned batch: the over-long line is named" grep -qx "w2v: similar: line 2: query longer than 65536 bytes" "$T/al.err"
check "aligned batch: a long word is cut to 64 bytes" grep -qx "w2v: $(head -c 64 /dev/zero | tr '\0' 'y')...: not in vocabulary" "$T/al.err"
check "aligned batch: one error line per failed query" test "$(wc -l < "$T/al.err")" -eq 2
w65536=$(head -c 65536 /dev/zero | tr '\0' 'z')
printf '%s\n' "$w65536" | $W2V similar $m > /dev/null 2> "$T/edge.err"
check "a line of exactly 65536 bytes is a query, not too long" grep -q "^w2v: z*\.\.\.: not in vocabulary$" "$T/edge.err"

# Batch answers are one-at-a-time answers, on a file large enough for several threads
# (10,000 rows of 8 values with many ties) and for both analogy methods.
awk 'BEGIN { s = 3; print 10000, 8; for (i = 0; i < 10000; i++) { printf "w%d", i;
    for (d = 0; d < 8; d++) { s = (s * 1103515245 + 12345) % 2147483648; printf " %d", int(s / 65536) % 7 - 3 }
    printf "\n" } }' > "$T/big.vec"
awk 'BEGIN { for (i = 0; i < 24; i++) print "w" (i * 37) % 10000, "w" (i * 101 + 5) % 10000, "w" (i * 7 + 11) % 10000 }' > "$T/bq.txt"
for method in add mul; do
    $W2V analogy -m "$T/big.vec" -method $method -k 5 < "$T/bq.txt" > "$T/batch-$method.out"
    while read -r a b c; do
        $W2V analogy -m "$T/big.vec" -method $method -k 5 "$a" "$b" "$c"
        echo
    done < "$T/bq.txt" > "$T/single-$method.out"
    check "batch analogy -method $method equals one-at-a-time answers" cmp -s "$T/batch-$method.out" "$T/single-$method.out"
done
cut -d' ' -f1 "$T/bq.txt" > "$T/bs.txt"
$W2V similar -m "$T/big.vec" -k 40 < "$T/bs.txt" > "$T/batch-sim.out"
while read -r a; do $W2V similar -m "$T/big.vec" -k 40 "$a"; echo; done < "$T/bs.txt" > "$T/single-sim.out"
check "batch similar equals one-at-a-time answers" cmp -s "$T/batch-sim.out" "$T/single-sim.out"
check "... 24 blocks of 40" test "$(grep -c . "$T/batch-sim.out")" -eq 960
expect_exit 0 "" "similar -k as large as the file" $W2V similar -m "$T/big.vec" -k 20000 w1
check "... lists every other row once" sh -c "test \$(cut -f1 '$T/out' | sort -u | wc -l) -eq 9999 && ! grep -q '^w1	' '$T/out'"

# Zero vectors have no similarities: an error per query, not a list of zeros.
printf '3 2\nzero 0 0\nx 1 0\ny 0 1\n' > "$T/zero.vec"
expect_exit 1 "^w2v: zero: vector is zero; no similarities$" "similar on a zero vector" $W2V similar -m "$T/zero.vec" zero
check "... prints nothing" test ! -s "$T/out"
expect_exit 1 "^w2v: zero: vector is zero; no similarity$" "similarity with a zero vector" $W2V similarity -m "$T/zero.vec" x zero
expect_exit 1 "^w2v: x x zero: query vector \(A - B \+ C\) is zero; no similarities$" "analogy with a zero query vector" $W2V analogy -m "$T/zero.vec" x x zero
printf 'x\nzero\ny\n' | $W2V similar -m "$T/zero.vec" > "$T/zb.out" 2> "$T/zb.err"
check "zero vector in a batch: exit 1" test $? -eq 1
check "... three blocks, the middle one empty" sh -c "tr '\n' '|' < '$T/zb.out' | grep -qx 'zero	0.000000|y	0.000000|||zero	0.000000|x	0.000000||'"
check "... one error line" grep -qx "w2v: zero: vector is zero; no similarities" "$T/zb.err"

# Question and pair files: '#' comments, '-' for standard input, no questions is an error.
printf '# capitals\n: royal\n# comment\nman king woman queen\n' > "$T/qc.txt"
expect_exit 0 "" "eval analogy accepts '#' lines" $W2V eval analogy $m "$T/qc.txt"
check "... and answers" grep -qx "total	1.0000" "$T/out"
expect_exit 0 "" "eval analogy reads - as standard input" sh -c "$W2V eval analogy $m - < '$T/qc.txt'"
check "... and answers" grep -qx "seen	1/1" "$T/out"
expect_exit 0 "" "eval similarity reads - as standard input" sh -c "$W2V eval similarity $m - < '$T/pairs.txt'"
check "... named -" grep -q "^-	0.8208" "$T/out"
: > "$T/empty.txt"
expect_exit 1 "^w2v: .*empty.txt: no questions" "empty questions file" $W2V eval analogy $m "$T/empty.txt"
check "... prints no total" test ! -s "$T/out"
expect_exit 1 "^w2v: .*empty.txt: no word pairs" "empty pairs file" $W2V eval similarity $m "$T/empty.txt"

# Case-insensitive as gensim: Unicode upper case, not ASCII only.
printf '4 3\n\303\226sterreich 1 1 0\nWien 1 1 1\nDeutschland 0 1 0\nBerlin 0 1 1\n' > "$T/de.vec"
printf ': capitals\n\303\266sterreich wien deutschland berlin\n' > "$T/de.txt"
expect_exit 0 "" "eval analogy folds non-ASCII case" $W2V eval analogy -m "$T/de.vec" "$T/de.txt"
check "... the question is seen and right" sh -c "grep -qx 'seen	1/1' '$T/out' && grep -qx 'total	1.0000' '$T/out'"
# Beyond Latin, Greek and Cyrillic, and capitals of several letters on both sides: the rows
# "ﬁsh", "ⅻ" (small Roman twelve) and "ᾳ" are found as "FISH", "Ⅻ" and "αι", whose
# str.upper is the same ("FISH", "Ⅻ", "ΑΙ").
printf '4 3\n\357\254\201sh 1 1 0\nWater 1 1 1\n\342\205\273 0 1 0\n\341\276\263 0 1 1\n' > "$T/uc.vec"
printf ': ligatures\nFISH water \342\205\253 \316\261\316\271\n' > "$T/uc.txt"
expect_exit 0 "" "eval analogy folds case as str.upper" $W2V eval analogy -m "$T/uc.vec" "$T/uc.txt"
check "... the question is seen and right" sh -c "grep -qx 'seen	1/1' '$T/out' && grep -qx 'total	1.0000' '$T/out'"

# Write errors name their reason.
if [ -w /dev/full ]; then
    expect_exit 1 "^w2v: standard output: write failed: No space left on device$" "similar > /dev/full" sh -c "$W2V similar $m king > /dev/full"
    expect_exit 1 "^w2v: standard output: write failed: No space left on device$" "batch > /dev/full" sh -c "echo king | $W2V similar $m > /dev/full"
    expect_exit 1 "^w2v: standard output: write failed: No space left on device$" "eval > /dev/full" sh -c "$W2V eval analogy $m '$T/qc.txt' > /dev/full"
    # the outputs written through the atomic output layer name standard output the same way
    expect_exit 1 "^w2v: standard output: write failed: No space left on device$" "convert > /dev/full" sh -c "$W2V convert '$T/toy.vec' - > /dev/full"
    expect_exit 1 "^w2v: standard output: write failed: No space left on device$" "train -o - > /dev/full" sh -c "$W2V train -q -min-count 1 -o - '$T/qc.txt' > /dev/full"
    expect_exit 1 "^w2v: standard output: write failed: No space left on device$" "vector > /dev/full" sh -c "$W2V vector $m king > /dev/full"
fi

# Evaluation files go through the one input layer: gzip is read, other compressors refused.
gzip -c "$T/qc.txt" > "$T/qc.txt.gz"
expect_exit 0 "" "eval analogy reads a gzipped question file" $W2V eval analogy $m "$T/qc.txt.gz"
printf '\375\067\172\130\132\000rest' > "$T/q.xz"
expect_exit 1 "q.xz: xz-compressed data; .*xz -dc" "eval analogy refuses xz data" $W2V eval analogy $m "$T/q.xz"
