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
check "... Spearman 8/sqrt(95), 5 of 6 pairs" grep -qx "pairs	0.8208	0.8347	5/6" "$T/out"

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
