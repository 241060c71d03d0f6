# errors.sh: the bad-input table. Every case runs one command and expects its exit status,
# exactly one line on stderr matching a pattern, and no output file (nor a temporary file)
# left behind. A last group of odd but valid inputs must train without crashing.
. "$(dirname "$0")/lib.sh"
W=$T/w
mkdir -p "$W"
cd "$W" || exit 1

# Fixtures.
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "w%d%s", i % 40, (i % 12 == 11) ? "\n" : " " }' > c.txt
gzip -c c.txt > c.gz
awk 'BEGIN { for (i = 0; i < 3000; i++) printf "m%d%s", i, (i % 10 == 9) ? "\n" : " " }' > many.txt
head -c $(($(wc -c < c.gz) / 2)) c.gz > trunc.gz
cp c.gz corrupt.gz
printf 'XXXXXXXXXXXXXXXX' | dd of=corrupt.gz bs=1 seek=40 conv=notrunc 2>/dev/null
: > empty.txt
printf ' \n\t\n  \r\n' > blank.txt
mkdir -p adir
printf 'w0 10\nw1\n' > badvocab.txt
printf '3\nw0 1 2 3\n' > badheader.vec
printf '3 2\nw0 1 2\nw1 3 4\n' > fewrows.vec
printf '2 3\nw0 1 2 3\nw1 1 2\n' > ragged.vec
printf '1 3\nw0 1 nan 3\n' > nan.vec
printf '1 3\nw0 1 2 inf\n' > inf.vec
printf '2 2\nw0 ' > truncbin.vec
printf '\000\000\200\077\000\000' >> truncbin.vec
printf '2 3\nw0 1 2 3\nw1 3 2 1\n' > good.vec
printf ': s\nw0 w1 w0\n' > badq.txt
printf 'w0 w1 w0 w1\n' > nosection.txt
printf 'w0 w1 high\n' > badpairs.txt

# run CODE PATTERN DESCRIPTION COMMAND: the case's command runs in $W; the output, if the
# command names one, is out.bin or out.txt in $W.
run() {
    code=$1 pat=$2 desc=$3
    shift 3
    rm -f out.bin out.txt
    expect_exit "$code" "$pat" "$desc" "$@"
    if [ -e out.bin ] || [ -e out.txt ] || ls | grep -q '\.tmp\.'; then
        fail "$desc: an output or temporary file was left behind"
    else
        pass "$desc: nothing left behind"
    fi
}

t="$W2V train -q -o out.bin"
# Input files.
run 1 "^w2v: nope\.txt: No such file or directory$" "missing corpus" $t nope.txt
run 1 "^w2v: adir: Is a directory$" "directory as corpus" $t adir
run 1 "^w2v: c\.txt/x: Not a directory$" "path through a file" $t c.txt/x
if [ "$(id -u)" != 0 ]; then
    cp c.txt locked.txt && chmod 000 locked.txt
    run 1 "^w2v: locked\.txt: Permission denied$" "unreadable corpus" $t locked.txt
fi
run 1 "^w2v: empty\.txt: no words in the corpus$" "empty corpus" $t empty.txt
run 1 "^w2v: blank\.txt: no words in the corpus$" "whitespace-only corpus" $t blank.txt
run 1 "^w2v: -: no words in the corpus$" "empty stdin" sh -c "$t - < empty.txt"
run 1 "^w2v: -: no words in the corpus$" "whitespace-only stdin" sh -c "$t - < blank.txt"
run 1 "^w2v: trunc\.gz: truncated gzip data" "truncated gzip" $t trunc.gz
run 1 "^w2v: -: truncated gzip data" "truncated gzip on stdin" sh -c "$t - < trunc.gz"
run 1 "^w2v: corrupt\.gz: corrupt gzip data" "corrupted gzip" $t corrupt.gz
# Options: zero, negative, junk, overflow and absurd values.
for opt in size window iter threads; do
    run 2 "^w2v: -$opt: '0' is out of range" "-$opt 0" $t -$opt 0 c.txt
done
for opt in size window negative min-count max-vocab iter threads seed; do
    run 2 "^w2v: -$opt: '-3' is out of range" "-$opt -3" $t -$opt -3 c.txt
    run 2 "^w2v: -$opt: expected a whole number, got 'x7'" "-$opt x7" $t -$opt x7 c.txt
    run 2 "^w2v: -$opt: '99999999999999999999' is out of range" "-$opt overflow" \
        $t -$opt 99999999999999999999 c.txt
done
for opt in sample alpha ns-exponent; do
    run 2 "^w2v: -$opt: expected a number, got '0\.1x'" "-$opt 0.1x" $t -$opt 0.1x c.txt
    run 2 "^w2v: -$opt: '1e999' is out of range" "-$opt 1e999" $t -$opt 1e999 c.txt
done
run 2 "^w2v: -alpha: must be greater than 0$" "-alpha 0" $t -alpha 0 c.txt
run 2 "^w2v: -sample: '-0\.5' is out of range" "-sample -0.5" $t -sample -0.5 c.txt
run 2 "^w2v: -size: '1000001' is out of range" "-size 1000001" $t -size 1000001 c.txt
run 2 "^w2v: -threads: '5000' is out of range" "-threads 5000" $t -threads 5000 c.txt
run 2 "^w2v: -negative: '1001' is out of range" "-negative 1001" $t -negative 1001 c.txt
run 2 "^w2v: -binary: '2' is out of range" "-binary 2" $t -binary 2 c.txt
run 2 "^w2v: -cbow: expected 0 or 1, got 'yes'" "-cbow=yes" $t -cbow=yes c.txt
run 2 "^w2v: -cbow: expected 0 or 1, got '2'$" "-cbow 2" $t -cbow 2 c.txt
run 2 "^w2v: -hs: expected 0 or 1, got '2'$" "-hs 2" $t -hs 2 c.txt
run 2 "^w2v: -shuffle: expected 0 or 1, got 'yes'$" "-shuffle yes" $t -shuffle yes c.txt
run 2 "^w2v: -max-vocab: must be 0 \(no limit\) or at least 2" "-max-vocab 1" \
    $t -max-vocab 1 -min-count 1 c.txt
# An output that is an input or another output is refused before anything is read.
cp c.txt keep.txt
ln -f keep.txt hard.txt
ln -sf keep.txt soft.txt
run 2 "^w2v: keep\.txt: the corpus and -o name the same file$" "-o names the corpus" \
    $W2V train -q -o keep.txt keep.txt
run 2 "^w2v: keep\.txt: the corpus and -save-vocab name the same file$" \
    "-save-vocab names the corpus" $t -save-vocab keep.txt keep.txt
run 2 "^w2v: hard\.txt: the corpus and -o name the same file$" "-o is a hard link to the corpus" \
    $W2V train -q -o hard.txt keep.txt
run 2 "^w2v: soft\.txt: the corpus and -o name the same file$" "-o is a symlink to the corpus" \
    $W2V train -q -o soft.txt keep.txt
run 2 "^w2v: keep\.txt: -read-vocab and -save-vocab name the same file$" \
    "-save-vocab names -read-vocab" $t -read-vocab keep.txt -save-vocab keep.txt c.txt
run 2 "^w2v: \./out\.bin: -o and -save-vocab name the same file$" "-o and -save-vocab collide" \
    $t -save-vocab ./out.bin c.txt
run 2 "^w2v: -o and -save-vocab are both standard output$" "two outputs on stdout" \
    $W2V train -q -o - -save-vocab - c.txt
run 2 "^w2v: the corpus and -read-vocab are both standard input$" "two inputs on stdin" \
    sh -c "$t -read-vocab - - < c.txt"
# The same check in every command that writes a file, and for every train output.
cp good.vec keepv.vec
ln -f keepv.vec hardv.vec
ln -sf keepv.vec softv.vec
mkfifo fifo
$W2V train -q -min-count 1 -iter 1 -size 4 -o out0.bin -save-model keep.model c.txt
cp keep.model keep0.model
run 2 "^w2v: keep\.txt: the corpus and -save-model name the same file$" \
    "-save-model names the corpus" $t -save-model keep.txt keep.txt
run 2 "^w2v: \./out\.bin: -o and -save-model name the same file$" "-o and -save-model collide" \
    $t -save-model ./out.bin c.txt
run 2 "^w2v: keep\.model: -resume and -o name the same file$" "-o names -resume" \
    $W2V train -q -resume keep.model -o keep.model c.txt
run 2 "^w2v: keep\.model: -init and -save-model name the same file$" \
    "-save-model names -init (only -resume's model file may be rewritten)" \
    $t -init keep.model -save-model keep.model c.txt
run 2 "^w2v: keep\.txt: the input and -o name the same file$" "phrases -o names its input" \
    $W2V phrases -q -o keep.txt keep.txt
run 2 "^w2v: hard\.txt: -train and -output name the same file$" \
    "phrases -output is a hard link to -train" $W2V phrases -q -train keep.txt -output hard.txt
# Refused, not read while its own output grows: standard output appended to the input.
run 2 "^w2v: standard output: the input and -o name the same file$" \
    "phrases appending to its input" sh -c "exec $W2V phrases -q keep.txt >> keep.txt"
run 2 "^w2v: keepv\.vec: -m and -o name the same file$" "classes -o names -m" \
    $W2V classes -q -k 2 -m keepv.vec -o keepv.vec
run 2 "^w2v: softv\.vec: -m and -o name the same file$" "classes -o is a symlink to -m" \
    $W2V classes -q -k 2 -m keepv.vec -o softv.vec
run 2 "^w2v: \./keepv\.vec: -m and -o name the same file$" "plot -o names -m" \
    $W2V plot -q -m keepv.vec -o ./keepv.vec w0 w1
run 2 "^w2v: hardv\.vec: -vocab and the output name the same file$" "convert OUT names -vocab" \
    $W2V convert -vocab keepv.vec good.vec hardv.vec
# A fifo is written in place: never both IN and OUT, refused before it is opened (which
# would wait for a writer: 'timeout' ends such a wait).
if command -v timeout > /dev/null; then
    run 2 "^w2v: fifo: the input and the output name the same file$" \
        "convert IN OUT on one fifo" timeout 20 $W2V convert fifo fifo
else
    skip "convert IN OUT on one fifo (no timeout)"
fi
check "the refused runs left the corpus alone" cmp -s c.txt keep.txt
check "... the vectors" cmp -s good.vec keepv.vec
check "... and the model file" cmp -s keep0.model keep.model
run 2 "no training objective" "-negative 0 without -hs" $t -negative 0 c.txt
run 2 "^w2v: -treads: unknown or ambiguous option$" "misspelt option" $t -treads 2 c.txt
run 2 "^w2v: -s: unknown or ambiguous option$" "ambiguous option" $t -s 2 c.txt
run 2 "^w2v: -size: missing value$" "missing option value" $t c.txt -size
run 2 "^w2v: missing corpus" "no corpus" $t
run 2 "^w2v: -: standard input can be read only once" "stdin twice" $t - c.txt -
run 2 "^w2v: -o: expected a file name" "empty output name" $W2V train -o "" c.txt
run 2 "^w2v: frob: unknown command" "unknown command" $W2V frob
# Vocabulary files and the vocabulary itself.
run 1 "^w2v: nope\.vocab: No such file or directory$" "missing -read-vocab" \
    $t -read-vocab nope.vocab c.txt
run 1 "^w2v: badvocab\.txt:2: expected 'word count'$" "malformed -read-vocab" \
    $t -read-vocab badvocab.txt c.txt
printf 'zz 5\nzy 3\n' > other.vocab
run 1 "^w2v: other\.vocab: none of the 3000 words of c\.txt is in the vocabulary \(-read-vocab\)$" \
    "-read-vocab with no word of the corpus" $t -read-vocab other.vocab c.txt
run 1 "^w2v: c\.txt: empty vocabulary: no word occurs at least 1000 times" \
    "vocabulary emptied by -min-count" $t -min-count 1000 c.txt
run 1 "^w2v: nodir/v\.txt: No such file or directory$" "-save-vocab into a missing directory" \
    $t -save-vocab nodir/v.txt c.txt
# Output.
run 1 "^w2v: nodir/out\.bin: No such file or directory$" "output directory missing" \
    $W2V train -q -o nodir/out.bin c.txt
run 1 "^w2v: out\.bin: write failed: File too large$" "file size limit while writing" \
    sh -c "ulimit -f 8; exec $t -size 200 -min-count 1 c.txt"
# AddressSanitizer reserves terabytes of shadow address space at start-up, so under a
# sanitizer build (W2V_SANITIZED set by make sanitize) no ulimit -v lets the program start.
if [ -z "${W2V_SANITIZED:-}" ]; then
    run 1 "^w2v: input vectors: cannot allocate" "memory limit refuses the model" \
        sh -c "ulimit -v 400000; exec $t -size 100000 -min-count 1 many.txt"
    # Out of memory while counting (an exit from deep inside) still removes out.bin's
    # temporary file.
    awk 'BEGIN { for (i = 0; i < 400000; i++) printf "u%d%s", i, (i % 20 == 19) ? "\n" : " " }' > uniq.txt
    # The message names the array that could not grow, and its size.
    run 1 "^w2v: (word index|word counts|vocabulary sort): cannot allocate [0-9.]+ [KMG]iB \(out of memory\)$" \
        "memory runs out while counting" \
        sh -c "ulimit -v 20000; exec $t -size 1 -iter 1 -min-count 1 uniq.txt"
    # The Huffman tree of 400k words is the largest allocation of this run: its failure
    # is named and ends like any other error. (Here the limit is reached at the tree; a
    # machine whose threads reserve more address space may run out while counting, which
    # is named too.)
    run 1 "^w2v: (hierarchical softmax tree|word index|word counts|vocabulary sort): cannot allocate" \
        "memory runs out for the Huffman tree" \
        sh -c "ulimit -v 85000; exec $t -cbow -hs -negative 0 -size 1 -iter 1 -min-count 1 uniq.txt"
fi
# Vector files, query words and evaluation files.
q="$W2V similar -m"
run 1 "^w2v: badheader\.vec:1: expected a 'COUNT DIM' header .*see -format.$" "bad vectors header" $q badheader.vec w0
run 1 "^w2v: fewrows\.vec: 2 rows, but the header says 3$" "too few rows" $q fewrows.vec w0
run 1 "^w2v: ragged\.vec:3: expected 3 values, got 2$" "ragged row" $q ragged.vec w0
run 1 "^w2v: truncbin\.vec: row 1: truncated row" "truncated binary row" $q truncbin.vec w0
run 1 "^w2v: nan\.vec:2: value 2 is not finite$" "NaN value" $q nan.vec w0
run 1 "^w2v: inf\.vec:2: value 3 is not finite$" "Inf value" $q inf.vec w0
run 1 "^w2v: empty\.txt: empty file" "empty vectors file" $q empty.txt w0
run 1 "^w2v: adir: Is a directory$" "directory as vectors file" $q adir w0
run 1 "^w2v: nope\.vec: No such file or directory$" "missing vectors file" $q nope.vec w0
run 1 "^w2v: zzz: not in vocabulary$" "unknown query word" $q good.vec zzz
run 1 "^w2v: zzz: not in vocabulary$" "unknown analogy word" $W2V analogy -m good.vec w0 zzz w1
run 2 "^w2v: expected 3 words, got 2$" "analogy with two words" $W2V analogy -m good.vec w0 w1
run 2 "^w2v: -k: " "-k 0" $q good.vec -k 0 w0
run 2 "^w2v: -limit: expected a whole number" "-limit junk" $q good.vec -limit lots w0
run 2 "^w2v: -m: expected a file name" "empty -m" $W2V similar -m "" w0
run 1 "^w2v: badq\.txt:2: expected 4 words$" "malformed question line" \
    $W2V eval analogy -m good.vec badq.txt
run 1 "^w2v: nosection\.txt:1: question before the first" "question without a section" \
    $W2V eval analogy -m good.vec nosection.txt
run 1 "^w2v: badpairs\.txt:1: expected 'word word score'$" "malformed pair line" \
    $W2V eval similarity -m good.vec badpairs.txt
run 1 "^w2v: nope\.txt: No such file or directory$" "missing pair file" \
    $W2V eval similarity -m good.vec nope.txt
run 2 "^w2v: expected 'analogy' or 'similarity'$" "unknown benchmark" $W2V eval speed

# Odd but valid inputs: they train (or fail cleanly), never crash.
head -c 200000 /dev/urandom > garbage.bin
awk 'BEGIN { printf "%s", "a"; for (i = 0; i < 20 * 1048576; i += 64) printf "%s", "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"; print "" }' > hugetoken.txt
printf 'a\000b c\000\000d\na b c d\n' > nul.txt
printf '\377\376 caf\303 \300\200 ok ok\n' > badutf8.txt
for f in garbage.bin hugetoken.txt nul.txt badutf8.txt; do
    rm -f out.bin
    $W2V train -q -min-count 1 -iter 1 -o out.bin "$f" 2> err.txt
    rc=$?
    check "$f trains or fails cleanly (exit $rc)" sh -c "[ $rc -eq 0 ] && [ -s out.bin ] || { [ $rc -eq 1 ] && [ \$(wc -l < err.txt) -eq 1 ]; }"
done
$W2V train -min-count 1 -iter 1 -o out.bin hugetoken.txt 2> err.txt
check "a 20 MB token is cut, with one warning" grep -q "warning: 1 tokens longer than 255 bytes were cut" err.txt
