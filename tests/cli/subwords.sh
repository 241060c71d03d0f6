# subwords.sh: subword vectors end to end. -maxn trains fastText's model and
# -save-fasttext writes it as a fastText .bin, which 'w2v vector' and the query commands
# read, words never seen included; fastText's own program prints the same vectors when it
# is installed; -init goes on from a fastText model; bad models and subword options where
# they make no sense are one-line errors.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

$GENCORPUS 40000 1 > c.txt
run="$W2V train -q -threads 1 -seed 2 -iter 2 -size 16 -min-count 2 -minn 3 -maxn 5 -bucket 5000"
check "subword training writes the vectors and a fastText model" \
    $run -o v.txt -save-model m.model -save-fasttext m.bin c.txt
check "the model file starts with fastText's magic number" \
    sh -c "od -An -tu4 -N4 m.bin | grep -qw 793712314"

# The vectors file holds each word's mean of rows, which 'vector' computes from the model.
tail -n +2 v.txt | cut -d' ' -f1 > words.txt
$W2V vector -m m.bin < words.txt > got.txt
check "'vector' on the model prints the vectors file's rows" sh -c "tail -n +2 v.txt | cmp -s - got.txt"
check "'vector' takes words as arguments" sh -c \
    "$W2V vector -m m.bin the king > two.txt && grep -E '^(the|king) ' v.txt | cmp -s - two.txt"

# Words never seen: misspellings of known ones. Their vectors come from the n-grams, close
# to the word they misspell.
unseen="kingg quenn thhe marrket"
check "unseen words get vectors from their n-grams" sh -c \
    "$W2V vector -m m.bin $unseen > u.txt && test \$(wc -l < u.txt) -eq 4 && ! grep -q ' 0.000000 0.000000 0.000000 0.000000' u.txt"
check "an unseen misspelling's nearest word is the word it misspells" sh -c \
    "$W2V similar -m m.bin -k 1 kingg | grep -q '^king	'"
expect_exit 0 "" "similarity answers an unseen word from its n-grams" \
    $W2V similarity -m m.bin kingg king
check "  ... and the cosine is high" awk '{ exit !($1 > 0.5) }' "$T/out"
expect_exit 1 "^w2v: kingg: not in vocabulary$" "a vectors file has no vector for an unseen word" \
    $W2V vector -m v.txt king kingg queen
check "  ... and the other words are still printed" sh -c \
    "grep -E '^(king|queen) ' v.txt | cmp -s - '$T/out'"
printf 'king kingg\nqueen\n' | $W2V vector -m v.txt > in.txt 2> in.err
check "  ... also from standard input, any number of words per line (status 1)" \
    test $? -eq 1
check "  ... the known ones printed, the unknown one reported" sh -c \
    "grep -E '^(king|queen) ' v.txt | cmp -s - in.txt && grep -q 'kingg: not in vocabulary' in.err"
printf 'a\tb\t1\nking\tqueen\t2\nkingg\tqueen\t3\n' > pairs.txt
expect_exit 0 "" "eval -oov ngrams answers every pair of a fastText model" \
    $W2V eval similarity -oov ngrams -m m.bin pairs.txt
check "  ... and says how many from n-grams" grep -q "3/3	unknown from n-grams: 2" "$T/out"
expect_exit 2 "^w2v: v.txt: no character n-grams for -oov ngrams" \
    "eval -oov ngrams on a file without n-grams is a usage error" \
    $W2V eval similarity -oov ngrams -m v.txt pairs.txt

# -init from a fastText model: the same start as from w2v's own model file, so one thread
# gives the same vectors byte for byte.
more="$W2V train -q -threads 1 -seed 5 -iter 1"
check "-init takes a fastText model" $more -init m.bin -o i1.bin c.txt
check "-init from the model file gives the same vectors" sh -c \
    "$more -init m.model -o i2.bin c.txt && cmp -s i1.bin i2.bin"
check "  ... which training changed" sh -c "$W2V convert i1.bin i1.txt && ! cmp -s i1.txt v.txt"
check "  ... and which keep the vocabulary" sh -c \
    "tail -n +2 i1.txt | cut -d' ' -f1 | cmp -s - words.txt"
expect_exit 1 "^w2v: m.bin: a fastText model goes on with -init, not -resume" \
    "-resume refuses a fastText model" $W2V train -q -resume m.bin -o r.bin c.txt
$W2V train -q -threads 1 -iter 1 -size 8 -hs 1 -negative 0 -minn 3 -maxn 4 -bucket 100 \
    -o h.bin -save-fasttext h.ft c.txt
expect_exit 1 "^w2v: h.ft: -init: the model was trained with hierarchical softmax" \
    "-init refuses a fastText model trained with hierarchical softmax" \
    $more -init h.ft -o r.bin c.txt

# Bad models: one line each, and nothing printed.
head -c 2000 m.bin > cut.bin
expect_exit 1 "^w2v: cut.bin: truncated file" "a truncated fastText model" \
    $W2V vector -m cut.bin king
{ head -c 4 m.bin; printf '\013\000\000\000'; tail -c +9 m.bin; } > v11.bin
expect_exit 1 "^w2v: v11.bin: fastText file format version 11; w2v reads version 12$" \
    "a fastText model of another version" $W2V similar -m v11.bin king
check "  ... prints nothing on standard output" test ! -s "$T/out"

# Subword options that make no sense.
expect_exit 2 "^w2v: -minn 5 is above -maxn 4" "-minn above -maxn" \
    $W2V train -minn 5 -maxn 4 -o x.bin c.txt
expect_exit 2 "^w2v: -minn, -bucket: subwords are off" "-minn without -maxn" \
    $W2V train -minn 3 -o x.bin c.txt
check "no output file after the usage errors" test ! -e x.bin

# fastText's own program, when installed, prints the same vectors from both models.
if command -v fasttext > /dev/null 2>&1; then
    cat words.txt > ask.txt
    echo "$unseen" | tr ' ' '\n' >> ask.txt
    # Values agree to fastText's printing (5 significant digits): within 1e-4.
    agree() { # MODEL
        fasttext print-word-vectors "$1" < ask.txt > ft.out &&
            $W2V vector -m "$1" < ask.txt > w2v.out &&
            paste -d' ' ft.out w2v.out | awk '
                { n = (NF - 2) / 2; if ($1 != $(n + 2)) bad = 1
                  for (i = 2; i <= n + 1; i++) { d = $i - $(i + n + 1); if (d < 0) d = -d
                      if (d > 1e-4) bad = 1 } }
                END { exit bad || NR != '"$(wc -l < ask.txt)"' }'
    }
    check "fasttext print-word-vectors agrees with 'vector' on w2v's model" agree m.bin
    fasttext skipgram -input c.txt -output ftm -dim 12 -minn 3 -maxn 5 -bucket 3000 \
        -epoch 1 -minCount 2 -thread 1 -verbose 0 > /dev/null 2>&1
    check "fasttext print-word-vectors agrees with 'vector' on fastText's model" agree ftm.bin
    check "-init takes a model fastText trained" $more -init ftm.bin -o f.txt c.txt
    check "  ... with fastText's words and </s> first" sh -c \
        "test \"\$(sed -n 2p f.txt | cut -d' ' -f1)\" = '</s>' && test \$(head -n 1 f.txt | cut -d' ' -f1) -ge \$(head -n 1 ftm.vec | cut -d' ' -f1)"
else
    skip "no fasttext command: fastText's own program against w2v's vectors"
fi
