# spellings.sh: the names of fastText, word2vec and gensim for w2v train's options. Each
# one trains what w2v's own name for it trains; the fastText options w2v has no
# counterpart for are usage errors that say what to use instead.
. "$(dirname "$0")/lib.sh"
GENCORPUS=${GENCORPUS:-build/gencorpus}

"$GENCORPUS" 3000 1 > "$T/c.txt"
# Every setting an alias below changes is given here with another value, so that an
# alias that changed nothing would leave the settings of this base.
base="-threads 1 -seed 1 -size 10 -window 5 -negative 5 -sample 1e-3 -iter 1 -alpha 0.025
-min-count 2"

# settings NAME ARGS...: trains with -v on the base and ARGS into $T/NAME.bin and keeps the
# settings line w2v reports in $T/NAME.set.
settings() {
    name=$1
    shift
    # shellcheck disable=SC2086 # $base is a list of options
    $W2V train $base -v "$@" -o "$T/$name.bin" "$T/c.txt" 2> "$T/$name.err" < /dev/null
    grep '^w2v: settings: ' "$T/$name.err" > "$T/$name.set"
}

settings base
check "the base run reports its settings" test -s "$T/base.set"

# One alias at a time: "ALIAS W2V VALUE VECTORS", VECTORS telling whether the vectors
# must match byte for byte too (not with several threads).
while read -r other own value vectors; do
    settings other -"$other" "$value"
    settings own -"$own" "$value"
    check "-$other $value reports the settings of -$own $value" \
        sh -c "test -s '$T/other.set' && cmp -s '$T/other.set' '$T/own.set'"
    check "-$other $value changes the settings" \
        sh -c "! cmp -s '$T/other.set' '$T/base.set'"
    if [ "$vectors" = yes ]; then
        check "-$other $value trains the vectors of -$own $value" \
            cmp -s "$T/other.bin" "$T/own.bin"
    fi
done << 'EOF'
lr alpha 0.05 yes
ws window 3 yes
minCount min-count 3 yes
t sample 1e-4 yes
thread threads 2 no
epoch iter 2 yes
epochs iter 2 yes
dim size 12 yes
neg negative 3 yes
EOF

# A fastText command line and the same run in w2v's names give the same vectors.
fasttext_line="-input $T/c.txt -output $T/ft.bin -lr 0.05 -ws 3 -minCount 3 -t 1e-4 -thread 1
-epoch 2 -dim 12 -neg 3 -loss ns -minn 3 -maxn 5 -bucket 1000 -seed 1 -debug 0"
own_line="-train $T/c.txt -o $T/own.bin -alpha 0.05 -window 3 -min-count 3 -sample 1e-4
-threads 1 -iter 2 -size 12 -negative 3 -hs 0 -minn 3 -maxn 5 -bucket 1000 -seed 1 -q"
# shellcheck disable=SC2086 # the lines are lists of options
expect_exit 0 "" "a fastText command line trains" $W2V train $fasttext_line
check "... quietly (-debug 0)" test ! -s "$T/err"
# shellcheck disable=SC2086
expect_exit 0 "" "the same run in w2v's names trains" $W2V train $own_line
check "... and writes the same vectors, byte for byte" cmp -s "$T/ft.bin" "$T/own.bin"

# -loss hs is -hs 1 -negative 0; -loss ns turns -hs off.
settings losshs -loss hs
settings hs -hs 1 -negative 0
check "-loss hs trains the vectors of -hs 1 -negative 0" \
    sh -c "cmp -s '$T/losshs.bin' '$T/hs.bin' && cmp -s '$T/losshs.set' '$T/hs.set'"
check "... which are not the base's" sh -c "! cmp -s '$T/losshs.bin' '$T/base.bin'"
settings lossns -hs 1 -loss ns
check "-hs 1 -loss ns trains the base's negative sampling alone" \
    sh -c "cmp -s '$T/lossns.bin' '$T/base.bin' && cmp -s '$T/lossns.set' '$T/base.set'"
settings lossneg -loss hs -neg 3
check "a -neg after -loss hs adds negative sampling again" \
    grep -q 'negative 3, hs 1' "$T/lossneg.set"

# -debug and -verbose: 0 is -q, 1 the default output, 2 is -v.
# shellcheck disable=SC2086
quiet() { $W2V train $base "$@" -o "$T/d.bin" "$T/c.txt" 2>&1 < /dev/null; }
# The default output without its figures (times and rates vary from run to run, and a
# rate's k or M with them) and without progress lines, which a slow run (a sanitizer
# build) prints and a fast one not.
shape() {
    quiet "$@" | grep -v -E '^w2v: (progress|reading|writing|setting up) ' |
        sed 's/[0-9][0-9.]*[kMG]\{0,1\}//g'
}
for opt in debug verbose; do
    quiet -"$opt" 0 > "$T/d0.err"
    check "-$opt 0 prints nothing, as -q" sh -c "test -e '$T/d.bin' && test ! -s '$T/d0.err'"
    quiet -"$opt" 2 > "$T/d2.err"
    check "-$opt 2 prints the settings, as -v" grep -q '^w2v: settings: ' "$T/d2.err"
    shape -"$opt" 1 > "$T/d1.err"
    shape > "$T/default.err"
    check "-$opt 1 prints what a run without it prints" \
        sh -c "test -s '$T/d1.err' && cmp -s '$T/d1.err' '$T/default.err'"
done
quiet -q -debug 2 > "$T/qd.err"
check "-debug 2 after -q: the last one applies" grep -q '^w2v: settings: ' "$T/qd.err"

# Values outside what the alias takes are refused under the name typed.
expect_exit 2 "^w2v: -lr: must be greater than 0$" "-lr 0 names -lr" \
    $W2V train -lr 0 "$T/c.txt"
expect_exit 2 "^w2v: -t: '2' is out of range" "-t 2 names -t" $W2V train -t 2 "$T/c.txt"
expect_exit 2 "^w2v: -input: expected a file name, got an empty string$" "an empty -input" \
    $W2V train -input ""
expect_exit 2 "^w2v: -debug: expected 0, 1 or 2, got '3'$" "-debug 3" \
    $W2V train -debug 3 "$T/c.txt"
expect_exit 2 "^w2v: -verbose: expected 0, 1 or 2, got '" "-verbose without its level" \
    $W2V train -verbose "$T/c.txt"
expect_exit 2 "^w2v: -loss: expected ns or hs, got 'nce'$" "-loss nce" \
    $W2V train -loss nce "$T/c.txt"
expect_exit 2 "^w2v: -min-count: with -init the vocabulary is FILE's" "-minCount with -init is refused as -min-count" \
    $W2V train -init "$T/none.model" -minCount 3 "$T/c.txt"

# fastText's options without a counterpart: exit 2, one line saying what to use, and the
# pointer to the help; never "unknown option". "ARGS|PATTERN" per line.
while IFS='|' read -r args pat; do
    # shellcheck disable=SC2086 # ARGS is the option and its value
    expect_exit 2 "^w2v: $pat" "refused: $args" $W2V train -o "$T/refused.bin" $args "$T/c.txt"
    check "... with the pointer to the help ($args)" \
        sh -c "tail -n 1 '$T/err' | grep -qx \"Try 'w2v train -h'.\" && ! grep -q unknown '$T/err'"
done << 'EOF'
-loss softmax|-loss softmax: .*not supported; use -loss hs
-loss ova|-loss ova: one-vs-all is for fastText's supervised classifiers
-wordNgrams 2|-wordNgrams: word n-grams are for fastText's supervised classifiers.*w2v phrases
-wordNgrams=2|-wordNgrams: word n-grams
-pretrainedVectors v.vec|-pretrainedVectors: use -init FILE \(any vectors file\)
-saveOutput|-saveOutput: -save-context FILE writes the output vectors
-label __label__|-label: labels are for fastText's supervised classifiers
-minCountLabel 1|-minCountLabel: labels are .*-min-count N
-lrUpdateRate 100|-lrUpdateRate: not supported: the learning rate falls linearly from -alpha
-cutoff 1000|-cutoff: quantization .* is not supported; -max-vocab N
-retrain|-retrain: quantization
-qnorm|-qnorm: quantization
-qout|-qout: quantization
-dsub 2|-dsub: quantization
-autotune-validation v.txt|-autotune-validation: autotuning .*w2v eval
-autotune-metric f1|-autotune-metric: autotuning
-autotune-predictions 1|-autotune-predictions: autotuning
-autotune-duration 300|-autotune-duration: autotuning
-autotune-modelsize 2M|-autotune-modelsize: autotuning
EOF
check "a refused option writes nothing" test ! -e "$T/refused.bin"
