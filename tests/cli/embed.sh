# embed.sh: 'w2v embed'. One row per input line, in input order, from files and from
# standard input, with any number of threads, equal to the mean of unit vectors computed
# here in awk; lines without a word that has a vector give zero rows, counted in one line
# on stderr; a fastText model answers unseen words from their n-grams; -sif gives the rows
# of an awk version of SIF, whose removed direction the rows are orthogonal to, and needs
# no file (standard input is kept in $TMPDIR, which is left empty); fastText's
# print-sentence-vectors prints the same rows when it is installed; bad inputs are one
# line each, with nothing on standard output.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1
E="$W2V embed"

# mean_ref MODEL INPUT: the mean of the unit vectors of each line's words that are rows of
# the text vectors file MODEL (with its header; a zero row is skipped; the first row of a
# word counts), 6 decimals.
mean_ref() {
    awk 'NR == FNR {
            if (FNR == 1) { dim = $2; next }
            if ($1 in seen) next
            seen[$1] = 1; n = 0
            for (i = 2; i <= NF; i++) n += $i * $i
            if (n > 0) { known[$1] = 1; for (i = 2; i <= NF; i++) v[$1, i - 1] = $i / sqrt(n) }
            next
        }
        {
            c = 0
            for (d = 1; d <= dim; d++) s[d] = 0
            for (i = 1; i <= NF; i++) if ($i in known) {
                c++
                for (d = 1; d <= dim; d++) s[d] += v[$i, d]
            }
            out = ""
            for (d = 1; d <= dim; d++)
                out = out (d > 1 ? " " : "") sprintf("%.6f", c ? s[d] / c : 0)
            print out
        }' "$1" "$2"
}

# sif_ref MODEL VOCAB A INPUT: SIF by its definition: raw rows weighted by
# A / (A + count / total) averaged over the words with a (non-zero) row, then the top
# eigenvector u of X^T X (power iteration) removed from every row.
sif_ref() {
    awk -v a="$3" 'FILENAME == ARGV[1] {
            if (FNR == 1) { dim = $2; next }
            if ($1 in known) next
            known[$1] = 1; z = 1
            for (i = 2; i <= NF; i++) { v[$1, i - 1] = $i; if ($i != 0) z = 0 }
            if (z) zero[$1] = 1
            next
        }
        FILENAME == ARGV[2] { cnt[$1] = $2; total += $2; next }
        {
            c = 0
            for (d = 1; d <= dim; d++) s[d] = 0
            for (i = 1; i <= NF; i++) {
                w = $i
                if (!(w in known) || (w in zero)) continue
                wt = a / (a + (w in cnt ? cnt[w] : 0) / total); c++
                for (d = 1; d <= dim; d++) s[d] += wt * v[w, d]
            }
            nl++
            for (d = 1; d <= dim; d++) x[nl, d] = c ? s[d] / c : 0
        }
        END {
            for (i = 1; i <= dim; i++) for (j = 1; j <= dim; j++) {
                t = 0
                for (k = 1; k <= nl; k++) t += x[k, i] * x[k, j]
                C[i, j] = t
            }
            for (d = 1; d <= dim; d++) u[d] = 1 + d / 7
            for (it = 0; it < 3000; it++) {
                nn = 0
                for (i = 1; i <= dim; i++) {
                    t = 0
                    for (j = 1; j <= dim; j++) t += C[i, j] * u[j]
                    y[i] = t; nn += t * t
                }
                nn = sqrt(nn)
                for (i = 1; i <= dim; i++) u[i] = nn > 0 ? y[i] / nn : 0
            }
            for (k = 1; k <= nl; k++) {
                p = 0
                for (d = 1; d <= dim; d++) p += u[d] * x[k, d]
                out = ""
                for (d = 1; d <= dim; d++)
                    out = out (d > 1 ? " " : "") sprintf("%.6f", x[k, d] - p * u[d])
                print out
            }
        }' "$1" "$2" "$4"
}

# close_rows FILE1 FILE2 TOL: as many lines, as many values on each, all within TOL.
close_rows() {
    [ -s "$1" ] && [ "$(wc -l < "$1")" -eq "$(wc -l < "$2")" ] || return 1
    paste -d'|' "$1" "$2" | awk -F'|' -v tol="$3" '{
        n = split($1, a, " "); m = split($2, b, " ")
        if (n != m || n == 0) bad = 1
        for (i = 1; i <= n; i++) { d = a[i] - b[i]; if (d < 0) d = -d; if (d > tol) bad = 1 }
    } END { exit bad }'
}

# A hand-made model: A (3, 4) has the unit vector (0.6, 0.8), B and C lie on the axes, Z
# is zero. The last line has no line end.
printf '4 2\nA 3 4\nB 1 0\nC 0 2\nZ 0 0\n' > m.vec
printf 'A B\nqq\n\nA Z\na\nC C A' > l.txt
expect_exit 0 "^w2v: 3 of 6 lines had no word with a vector: their rows are zeros$" \
    "lines without a known word are zero rows, counted on stderr" $E -m m.vec l.txt
check "  ... and stderr is that one line" test "$(wc -l < "$T/err")" -eq 1
cp "$T/out" l.out
mean_ref m.vec l.txt > l.ref
check "the rows are the means of the words' unit vectors (a zero vector, an unknown word \
and another case not counted)" close_rows l.out l.ref 2e-6
check "  ... (0.8, 0.4) for 'A B', (0.2, 0.933333) for 'C C A'" sh -c \
    "sed -n 1p l.out | grep -qx '0.800000 0.400000' &&
     sed -n 6p l.out | grep -qx '0.200000 0.933333'"
check "standard input gives the same rows" sh -c "$E -m m.vec < l.txt 2>/dev/null | cmp -s - l.out"
check "  ... so does -" sh -c "$E -m m.vec - < l.txt 2>/dev/null | cmp -s - l.out"
check "  ... and gzip" sh -c "gzip -c l.txt > l.gz && $E -m m.vec l.gz 2>/dev/null | cmp -s - l.out"
check "files are read one after the other, a last line without line end ending its file" \
    sh -c "$E -m m.vec l.txt l.txt 2>/dev/null > two.out && cat l.out l.out | cmp -s - two.out"
printf 'A\nB\n' > ab.txt
expect_exit 0 "" "no zero row: nothing on stderr" $E -m m.vec ab.txt
check "  ... indeed" test ! -s "$T/err"
expect_exit 0 "" "an empty input gives no row" $E -m m.vec /dev/null
check "  ... indeed" test ! -s "$T/out"

# Generated text and vectors trained on it: threads keep the order, and the rows are the
# reference's.
$GENCORPUS 20000 1 > c.txt
$W2V train -q -threads 1 -seed 2 -iter 1 -size 16 -min-count 2 -o v.txt -save-vocab voc.txt \
    -minn 3 -maxn 5 -bucket 5000 -save-fasttext ft.bin c.txt
{ head -n 3000 c.txt; printf '\nkingg quenn thhe\nzzzz\n'; tail -n 200 c.txt; } > lines.txt
nlines=$(wc -l < lines.txt)
$E -m v.txt -threads 1 lines.txt > one.out 2> one.err
check "one row per line ($nlines)" test "$(wc -l < one.out)" -eq "$nlines"
for th in 2 3 8; do
    check "-threads $th gives the rows of one thread, in order" sh -c \
        "$E -m v.txt -threads $th < lines.txt 2>/dev/null | cmp -s - one.out"
done
mean_ref v.txt lines.txt > lines.ref
check "the rows are the reference's means" close_rows one.out lines.ref 2e-6
check "the lines of unknown words are counted on stderr" \
    grep -qx "w2v: 3 of $nlines lines had no word with a vector: their rows are zeros" one.err
$W2V convert v.txt v.bin
check "a binary vectors file gives the same rows" sh -c \
    "$E -m v.bin -threads 2 lines.txt 2>/dev/null | cmp -s - one.out"

# A fastText model: unseen words get their n-grams' vector, so the line of misspellings
# is no longer zero; each row is the mean of the unit vectors 'w2v vector' prints.
$E -m ft.bin -threads 2 lines.txt > ft.out 2> ft.err
check "a fastText model: one row per line" test "$(wc -l < ft.out)" -eq "$nlines"
check "  ... only the empty line is a zero row" \
    grep -qx "w2v: 1 of $nlines lines had no word with a vector: its row is zeros" ft.err
printf 'kingg quenn thhe\nthe king kingg\n' > unseen.txt
tr ' ' '\n' < unseen.txt | sort -u > unseen.words
{ echo "$(wc -l < unseen.words) 16"; $W2V vector -m ft.bin < unseen.words; } > unseen.vec
mean_ref unseen.vec unseen.txt > unseen.ref
$E -m ft.bin unseen.txt > unseen.out
check "  ... an unseen word's vector is its n-grams' (as 'w2v vector' prints it)" \
    close_rows unseen.out unseen.ref 2e-5

# SIF on a hand-made model: a = (1, 1, 0), b = (1, -1, 0), c = (0, 0, 1), each counted 10
# of 30 times; with -sif-a 1 each weight is 1 / (1 + 1/3) = 0.75. Four lines of a, one of b
# and one of c make X^T X = 0.75^2 [[5, 3, 0], [3, 5, 0], [0, 0, 1]], whose top direction
# (1, 1, 0) / sqrt 2 is removed: the rows of a vanish, b's and c's stay.
printf '3 3\na 1 1 0\nb 1 -1 0\nc 0 0 1\n' > s.vec
printf 'a 10\nb 10\nc 10\n' > s.vocab
printf 'a\nb\na\nzz\na\nc\n\na\n' > s.txt
mkdir tmpd
TMPDIR=$T/tmpd $E -m s.vec -sif s.vocab -sif-a 1 s.txt > s.out 2> s.err
check "-sif: the rows orthogonal to the removed direction (x1 + x2 = 0)" \
    awk '{ d = $1 + $2; if (d < 0) d = -d; if (d > 1e-6) bad = 1 }
         END { exit bad || NR != 8 }' s.out
check "  ... and the rows of the definition: b (0.75, -0.75, 0), c (0, 0, 0.75), others zero" \
    awk '{ x = $1 + 0; y = $2 + 0; z = $3 + 0 }
         NR == 2 { if (x != 0.75 || y != -0.75 || z != 0) bad = 1; next }
         NR == 6 { if (x != 0 || y != 0 || z != 0.75) bad = 1; next }
         { if (x != 0 || y != 0 || z != 0) bad = 1 }
         END { exit bad || NR != 8 }' s.out
check "  ... zero rows counted as without -sif" \
    grep -qx "w2v: 2 of 8 lines had no word with a vector: their rows are zeros" s.err
check "  ... standard input (kept in \$TMPDIR) gives the same rows" sh -c \
    "TMPDIR='$T/tmpd' $E -m s.vec -sif s.vocab -sif-a 1 < s.txt 2>/dev/null | cmp -s - s.out"
check "  ... and \$TMPDIR is left empty" test -z "$(ls -A tmpd)"

# SIF on the generated text, against the awk version, with the counts training wrote.
TMPDIR=$T/tmpd $E -m v.txt -sif voc.txt -threads 3 lines.txt > sif.out 2> /dev/null
sif_ref v.txt voc.txt 0.001 lines.txt > sif.ref
check "-sif on generated text gives the reference's rows" close_rows sif.out sif.ref 1e-5
check "  ... whatever the threads, and from standard input" sh -c \
    "cat lines.txt | TMPDIR='$T/tmpd' $E -m v.txt -sif voc.txt -threads 1 2>/dev/null |
     cmp -s - sif.out"
$E -m v.txt -sif voc.txt -sif-a 0.1 lines.txt > sif1.out 2> /dev/null
check "  ... -sif-a changes the rows" sh -c "test -s sif1.out && ! cmp -s sif1.out sif.out"
check "  ... and \$TMPDIR is left empty" test -z "$(ls -A tmpd)"

# fastText's own program, when installed: print-sentence-vectors on its model and on w2v's.
if command -v fasttext > /dev/null 2>&1; then
    # fastText prints 5 significant digits: within 1e-4.
    agree() { # MODEL
        fasttext print-sentence-vectors "$1" < lines.txt > fts.out &&
            $E -m "$1" lines.txt > w2vs.out 2> /dev/null && close_rows fts.out w2vs.out 1e-4
    }
    check "fasttext print-sentence-vectors agrees with embed on w2v's model" agree ft.bin
    fasttext skipgram -input c.txt -output ftm -dim 12 -minn 3 -maxn 5 -bucket 3000 \
        -epoch 1 -minCount 2 -thread 1 -verbose 0 > /dev/null 2>&1
    check "fasttext print-sentence-vectors agrees with embed on fastText's model" agree ftm.bin
else
    skip "no fasttext command: fastText's print-sentence-vectors against embed"
fi

# Bad inputs: one line, the status, nothing on standard output.
nothing() { test ! -s "$T/out"; }
expect_exit 1 "^w2v: vectors\.bin: No such file or directory$" \
    "a binary stream without -m (and no vectors.bin)" sh -c "$E < v.bin"
check "  ... prints nothing" nothing
bin="binary data \(a NUL byte\), not text \(a vectors file is given with -m\)"
expect_exit 1 "^w2v: standard input:[0-9]+: $bin$" "a binary stream as the text" \
    sh -c "$E -m v.txt < v.bin"
check "  ... prints nothing" nothing
expect_exit 1 "^w2v: ft\.bin:1: binary data \(a NUL byte\)" "a fastText model as the text" \
    $E -m v.txt ft.bin
expect_exit 1 "^w2v: nope\.txt: No such file or directory$" "a missing input" \
    $E -m v.txt l.txt nope.txt
check "  ... fails before any row" nothing
mkdir adir
expect_exit 1 "^w2v: adir: Is a directory$" "a directory as input" $E -m v.txt adir
if [ "$(id -u)" != 0 ]; then
    cp l.txt locked.txt && chmod 000 locked.txt
    expect_exit 1 "^w2v: locked\.txt: Permission denied$" "an unreadable input" \
        $E -m v.txt locked.txt
fi
expect_exit 1 "^w2v: nope\.vocab: No such file or directory$" "a missing -sif file" \
    $E -m v.txt -sif nope.vocab l.txt
printf 'a 10\nb\n' > bad.vocab
expect_exit 1 "^w2v: bad\.vocab:2: expected 'word count'$" "a malformed -sif file" \
    $E -m v.txt -sif bad.vocab l.txt
printf 'a 0\n' > zero.vocab
expect_exit 1 "^w2v: zero\.vocab: the counts add up to 0$" "a -sif file counting nothing" \
    $E -m v.txt -sif zero.vocab l.txt
expect_exit 1 "^w2v: TMPDIR $T/nodir: No such file or directory \(embed -sif's temporary file\)$" \
    "-sif with a missing \$TMPDIR" sh -c "TMPDIR='$T/nodir' exec $E -m v.txt -sif voc.txt l.txt"
check "  ... prints nothing" nothing
expect_exit 2 "^w2v: -sif-a: needs -sif$" "-sif-a without -sif" $E -m v.txt -sif-a 0.01 l.txt
expect_exit 2 "^w2v: -sif-a: must be greater than 0$" "-sif-a 0" \
    $E -m v.txt -sif voc.txt -sif-a 0 l.txt
expect_exit 2 "^w2v: standard input \(-\) can be read only once$" "standard input twice" \
    $E -m - - < v.txt
cp l.txt self.txt
expect_exit 2 "^w2v: standard output: the input and the output name the same file$" \
    "standard output appended to an input" sh -c "exec $E -m m.vec self.txt >> self.txt"
check "  ... which is left alone" cmp -s l.txt self.txt
expect_exit 2 "^w2v: -k: not an option of 'w2v embed'$" "an option of other commands" \
    $E -m v.txt -k 3 l.txt
expect_exit 0 "" "-h" $E -h
check "  ... on standard output" grep -q "^usage: w2v embed" "$T/out"
