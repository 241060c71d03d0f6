# classes.sh: 'w2v classes' and 'w2v train -classes': planted clusters recovered, output
# sorted by class and identical for any thread count, gzip output, and bad input.
. "$(dirname "$0")/lib.sh"

# 3 planted clusters of 8 words around three axes of 5-D space, interleaved, with a
# little deterministic noise.
awk 'BEGIN {
    print 24, 5
    for (i = 0; i < 24; i++) {
        g = i % 3
        printf "%s%d", substr("abc", g + 1, 1), i
        for (d = 0; d < 5; d++) printf " %.4f", (d == g ? 1 : 0) + ((i * 7 + d * 13) % 11 - 5) / 50
        printf "\n"
    }
}' > "$T/planted.vec"

expect_exit 0 "mean cosine to centroid" "classes -k 3" $W2V classes -m "$T/planted.vec" -k 3 -threads 1
cp "$T/out" "$T/c1"
check "... one line per word" test "$(wc -l < "$T/c1")" -eq 24
check "... each planted cluster is one class" \
    test "$(sed 's/^\([abc]\)[0-9]* /\1 /' "$T/c1" | sort -u | wc -l)" -eq 3
check "... three distinct classes 0..2" test "$(cut -d' ' -f2 "$T/c1" | sort -u | tr '\n' ' ')" = "0 1 2 "
check "... sorted by class, file order within a class" \
    sh -c "sort -s -n -k2,2 '$T/c1' | cmp -s - '$T/c1' && grep ' 0\$' '$T/c1' | head -2 | cut -c2- | sort -n -c"
check "... word2vec's 'word class' format" sh -c "! grep -vqE '^[abc][0-9]+ [0-9]+\$' '$T/c1'"

# Determinism: same bytes for a fixed seed, whatever the thread count.
$W2V classes -q -m "$T/planted.vec" -k 7 -seed 5 -threads 1 -o "$T/k7a" 2>/dev/null
$W2V classes -q -m "$T/planted.vec" -k 7 -seed 5 -threads 1 -o "$T/k7b" 2>/dev/null
$W2V classes -q -m "$T/planted.vec" -k 7 -seed 5 -threads 3 -o "$T/k7c" 2>/dev/null
check "-threads 1 twice: identical output" cmp -s "$T/k7a" "$T/k7b"
check "-threads 3: identical to -threads 1" cmp -s "$T/k7a" "$T/k7c"
expect_exit 0 "" "-o FILE.gz" $W2V classes -q -m "$T/planted.vec" -k 7 -seed 5 -o "$T/k7.gz"
check "... gzip of the same lines" sh -c "gzip -dc '$T/k7.gz' | cmp -s - '$T/k7a'"
expect_exit 0 "" "-iter 1 stops after one round" $W2V classes -m "$T/planted.vec" -k 3 -iter 1
check "... and says so" grep -q "1 round (" "$T/err"

expect_exit 2 "missing number of classes" "no -k" $W2V classes -m "$T/planted.vec"
expect_exit 2 "^w2v: -k" "-k 0" $W2V classes -m "$T/planted.vec" -k 0
expect_exit 2 "^w2v: -iter" "-iter x" $W2V classes -m "$T/planted.vec" -k 2 -iter x
expect_exit 2 "unexpected argument" "stray argument" $W2V classes -m "$T/planted.vec" -k 2 extra
expect_exit 1 "25 classes for 24 words" "-k above the word count" \
    $W2V classes -m "$T/planted.vec" -k 25 -o "$T/none.txt"
check "... writes no file" test ! -e "$T/none.txt"
expect_exit 1 "nope.vec" "missing vectors file" $W2V classes -m "$T/nope.vec" -k 2
printf '2 3\nx 1 2 3\ny 1 2\n' > "$T/short.vec"
expect_exit 1 "short.vec:3" "short row" $W2V classes -m "$T/short.vec" -k 2
expect_exit 1 "" "unwritable output" $W2V classes -m "$T/planted.vec" -k 2 -o "$T/no/dir/c.txt"
expect_exit 0 "" "classes -h" $W2V classes -h
check "... lists -k and -iter" sh -c "grep -q -- '-k K' '$T/out' && grep -q -- '-iter N' '$T/out'"
check "classes -h names GloVe and -format" sh -c "$W2V classes -h | grep -q 'text, binary or GloVe' &&
    $W2V classes -h | grep -q -- '-format F'"
# A GloVe file of one dimension whose first row reads as a header: -format says what it is.
printf '3 1\na 1\nb 2\n' > "$T/amb.glove"
expect_exit 1 "amb.glove: 2 rows, but the header says 3" "a GloVe file taken for a header" \
    $W2V classes -m "$T/amb.glove" -k 2
expect_exit 0 "2 classes of 3 words" "-format glove" $W2V classes -format glove -m "$T/amb.glove" -k 2
expect_exit 2 "^w2v: -format: expected text, binary, glove or fasttext, got 'gz'" "-format gz" \
    $W2V classes -format gz -m "$T/amb.glove" -k 2

# train -classes: 'word class' lines instead of vectors, for the whole vocabulary.
$GENCORPUS 3000 1 > "$T/corpus.txt"
expect_exit 0 "classes" "train -classes 4" $W2V train -threads 1 -size 16 -iter 1 -classes 4 \
    -o "$T/tc.txt" "$T/corpus.txt"
check "... one class line per vocabulary word" test "$(wc -l < "$T/tc.txt")" -eq \
    "$($W2V train -q -threads 1 -size 16 -iter 1 -o - "$T/corpus.txt" | head -1 | cut -d' ' -f1)"
check "... classes 0..3, sorted" sh -c "cut -d' ' -f2 '$T/tc.txt' | uniq | tr '\n' ' ' | grep -qx '0 1 2 3 '"
$W2V train -q -threads 1 -size 16 -iter 1 -classes 4 -o "$T/tc2.txt" "$T/corpus.txt"
check "... reproducible with -threads 1" cmp -s "$T/tc.txt" "$T/tc2.txt"
expect_exit 1 "^w2v: -classes" "train -classes above the vocabulary" \
    $W2V train -q -threads 1 -size 16 -iter 1 -classes 100000 -o "$T/tc3.txt" "$T/corpus.txt"
check "... writes no file" test ! -e "$T/tc3.txt"
