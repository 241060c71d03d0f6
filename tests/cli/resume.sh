# resume.sh: model files. -save-model writes the whole model; a run stopped by SIGINT
# with -checkpoint saves its state, and -resume from it gives the uninterrupted run's
# output byte for byte (one thread); -init trains a finished model further with its
# vocabulary fixed; damaged or mismatched model files are refused.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

$GENCORPUS 60000 1 > c.txt
$GENCORPUS 3000 2 > other.txt
printf 'zzz yyy xxx\n' >> other.txt
# Twenty epochs: long enough (a second or more) that the signal below always comes while
# the run trains, well after its first checkpoint.
run="$W2V train -q -threads 1 -seed 3 -iter 20 -size 20"

check "an uninterrupted run saves its model" $run -o a.bin -save-model a.model c.txt
check "the model file starts with its magic" sh -c "head -c 8 a.model | grep -qx w2vmodel"
check "periodic checkpoints leave the vectors as they are" sh -c \
    "$run -o p.bin -save-model p.model -checkpoint 0.0005 c.txt && cmp -s a.bin p.bin"

# Stops a run with SIGINT once its first checkpoint exists (training is under way).
# Prints the run's exit status.
interrupted_run() {
    rm -f b.model
    $run -o b.bin -save-model b.model -checkpoint 0.001 c.txt 2> b.err &
    pid=$!
    n=0
    while [ ! -f b.model ] && [ $n -lt 3000 ]; do
        sleep 0.01
        n=$((n + 1))
    done
    kill -INT $pid 2>/dev/null
    wait $pid
    echo $?
}
status=$(interrupted_run)
check "SIGINT exits 130 (the run was still training when it came)" test "$status" = 130
if [ "$status" = 130 ]; then
    check "SIGINT says where the state is" grep -q "state is in b.model" b.err
    check "SIGINT leaves no vectors" test ! -e b.bin
    check "the interrupted state differs from the finished one" sh -c "! cmp -s a.model b.model"
    check "-resume finishes the run" $W2V train -q -resume b.model -o b.bin -save-model b2.model c.txt
    check "resumed vectors equal the uninterrupted run's" cmp a.bin b.bin
    check "resumed model file equals the uninterrupted run's" cmp a.model b2.model
    # The usual workflow: the run goes on from its model file and keeps rewriting it.
    cp b.model same.model
    check "-resume and -save-model may name the same file" $W2V train -q -resume same.model \
        -o same.bin -save-model same.model -checkpoint 0.001 c.txt
    check "... which then holds the finished run" cmp a.model same.model
    check "... beside the uninterrupted run's vectors" cmp a.bin same.bin
    $W2V train -resume b.model -o b3.bin c.txt 2> b3.err
    check "the done line counts only what the resumed run trained" \
        grep -Eq 'epochs \([0-9.]+% of them in this run\) in' b3.err
fi
check "a periodic checkpoint leaves no temporary file" sh -c "! ls | grep -q '\.tmp\.'"

expect_exit 1 "a\.model: this model file is of a finished run; use -init" \
    "-resume refuses a finished run" $W2V train -q -resume a.model -o r.bin c.txt
cp a.model half.model
printf 'x' | dd of=half.model bs=1 seek=5000 conv=notrunc 2>/dev/null
expect_exit 1 "half\.model: model file checksum mismatch" "a damaged model file is refused" \
    $W2V train -q -init half.model -o r.bin c.txt
head -c 3000 a.model > cut.model
expect_exit 1 "cut\.model: truncated model file" "a truncated model file is refused" \
    $W2V train -q -init cut.model -o r.bin c.txt
expect_exit 1 "c\.txt: not a w2v model file" "a text file is not a model file" \
    $W2V train -q -resume c.txt -o r.bin c.txt
expect_exit 1 "c\.txt:1: expected a 'COUNT DIM' header" \
    "-init reads a file that is not a model file as vectors, and says what is wrong" \
    $W2V train -q -init c.txt -o r.bin c.txt
if [ "$status" = 130 ]; then
    expect_exit 1 "other\.txt: not the corpus b\.model was saved from" \
        "-resume checks the corpus" $W2V train -q -resume b.model -o r.bin other.txt
fi
expect_exit 2 "-resume: the model file decides" "-resume refuses settings" \
    $W2V train -q -resume a.model -size 10 -o r.bin c.txt
expect_exit 2 "-resume: the model file decides" "-resume refuses -batch" \
    $W2V train -q -resume a.model -batch 0 -o r.bin c.txt
expect_exit 1 "a\.model: -init: the model file decides the model's settings" \
    "-init refuses model settings" $W2V train -q -init a.model -cbow -o r.bin c.txt
expect_exit 2 "-init: the vocabulary is FILE's" "-init refuses vocabulary settings" \
    $W2V train -q -init a.model -max-vocab 100 -o r.bin c.txt
expect_exit 2 "-min-count: with -init the vocabulary is FILE's" \
    "-init refuses -min-count without -grow-vocab" $W2V train -q -init a.model -min-count 3 -o r.bin c.txt
expect_exit 2 "-grow-vocab: adds words to the vectors of -init FILE" "-grow-vocab needs -init" \
    $W2V train -q -grow-vocab -o r.bin c.txt
expect_exit 2 "-checkpoint: needs -save-model" "-checkpoint needs a model file" \
    $W2V train -q -checkpoint 5 -o r.bin c.txt
check "nothing left behind by refused runs" test ! -e r.bin

# -init: the finished model trained further on other text; new words are dropped.
$W2V train -threads 1 -seed 4 -iter 1 -init a.model -o i.bin other.txt 2> i.err
check "-init trains on new text" test -s i.bin
check "-init keeps the model's vocabulary" sh -c "head -n 1 i.bin | grep -q \"^$(head -n 1 a.bin | cut -d' ' -f1) 20\$\""
check "-init reports the dropped words" grep -q "tokens not in the model's vocabulary were dropped" i.err
check "-init changes the vectors" sh -c "! cmp -s a.bin i.bin"
$W2V train -v -threads 1 -seed 4 -iter 1 -init a.model -batch 0 -o i0.bin other.txt 2> i0.err
check "-init takes -batch from the command line" grep -q "batch 0\$" i0.err
check "-batch changes how -init trains" sh -c "! cmp -s i.bin i0.bin"

# CBOW with -batch 3, one draw of negatives serving three predictions in a row: a
# checkpoint comes between sentences, where no draw is in use, so the resumed run still
# equals the uninterrupted one.
run="$W2V train -q -threads 1 -seed 5 -iter 20 -size 20 -cbow -batch 3"
check "a CBOW -batch 3 run saves its model" $run -o a.bin -save-model a.model c.txt
status=$(interrupted_run)
if [ "$status" = 130 ]; then
    check "CBOW -batch 3: -resume finishes the run" \
        $W2V train -q -resume b.model -o b.bin -save-model b2.model c.txt
    check "CBOW -batch 3: resumed vectors equal the uninterrupted run's" cmp a.bin b.bin
    check "CBOW -batch 3: resumed model file equals the uninterrupted run's" cmp a.model b2.model
else
    fail "CBOW -batch 3: the run ended before SIGINT (status $status)"
fi
