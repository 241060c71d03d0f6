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
run 1 "^w2v: standard input: no words in the corpus$" "empty stdin" sh -c "$t - < empty.txt"
run 1 "^w2v: standard input: no words in the corpus$" "whitespace-only stdin" \
    sh -c "$t - < blank.txt"
run 1 "^w2v: trunc\.gz: truncated gzip data" "truncated gzip" $t trunc.gz
run 1 "^w2v: standard input: truncated gzip data" "truncated gzip on stdin" \
    sh -c "$t - < trunc.gz"
# xz, bzip2, zstd data are refused with the command that unpacks them.
printf '\3757zXZ\000\000rest' > c.xz
xz="xz-compressed data; w2v reads plain text and gzip"
run 1 "^w2v: c\.xz: $xz: unpack it with 'xz -dc c\.xz'$" "xz corpus" $t c.xz
run 1 "^w2v: standard input: $xz: pipe it through 'xz -dc' first$" "xz corpus on stdin" \
    sh -c "$t - < c.xz"
run 1 "^w2v: corrupt\.gz: corrupt gzip data" "corrupted gzip" $t corrupt.gz
# Bytes after the last gzip member are an error for every reader of gzip input, at the
# offset where the gzip data ends; zero bytes (padding) are not. A second member cut short
# or corrupt is an error too.
gz=$(wc -c < c.gz | tr -d ' ')
tail_err() { echo "^w2v: $1: trailing garbage after gzip data at byte offset $2\$"; }
{ cat c.gz; printf 'appended'; } > junk.gz
{ cat c.gz; printf '\037\214\010\000\000\000\000\000\000\003'; } > badmember.gz
{ cat c.gz; head -c 3000 /dev/zero; printf 'x'; } > zerojunk.gz
{ cat c.gz; head -c 3000 /dev/zero; } > padded.gz
cat c.gz c.gz > two.gz
{ cat two.gz; printf 'appended'; } > twojunk.gz
head -c $((2 * gz - 12)) two.gz > cutmember.gz
cp two.gz badsecond.gz
printf 'XXXXXXXXXXXXXXXX' | dd of=badsecond.gz bs=1 seek=$((gz + 40)) conv=notrunc 2>/dev/null
run 1 "$(tail_err junk\\.gz "$gz")" "text appended to gzip" $t junk.gz
run 1 "$(tail_err "standard input" "$gz")" "text appended to gzip on stdin" sh -c "$t - < junk.gz"
run 1 "$(tail_err badmember\\.gz "$gz")" "second gzip member with a damaged magic number" \
    $t badmember.gz
run 1 "$(tail_err zerojunk\\.gz "$gz")" "zeros then text after gzip" $t zerojunk.gz
run 1 "$(tail_err twojunk\\.gz $((2 * gz)))" "text after two gzip members" $t twojunk.gz
run 1 "^w2v: cutmember\.gz: truncated gzip data" "second gzip member cut short" $t cutmember.gz
run 1 "^w2v: badsecond\.gz: corrupt gzip data" "second gzip member corrupt" $t badsecond.gz
rm -f out.bin
expect_exit 0 "" "zero padding after gzip is ignored" $t -min-count 1 padded.gz
rm -f out.bin
# The same check for the other readers of gzip input.
printf 'w0 10\nw1 5\n' | gzip -c > v.gz
printf ': s\nw0 w1 w0 w1\n' | gzip -c > q.gz
gzip -c good.vec > vec.gz
for f in v q vec; do
    { cat $f.gz; printf 'appended'; } > ${f}junk.gz
done
run 1 "$(tail_err vjunk\\.gz "$(wc -c < v.gz | tr -d ' ')")" "-read-vocab with text after gzip" \
    $t -read-vocab vjunk.gz c.txt
run 1 "$(tail_err vecjunk\\.gz "$(wc -c < vec.gz | tr -d ' ')")" \
    "vectors with text after gzip" $W2V similar -m vecjunk.gz w0
run 1 "$(tail_err vecjunk\\.gz "$(wc -c < vec.gz | tr -d ' ')")" \
    "convert input with text after gzip" $W2V convert vecjunk.gz out.txt
run 1 "$(tail_err qjunk\\.gz "$(wc -c < q.gz | tr -d ' ')")" "questions with text after gzip" \
    $W2V eval analogy -m good.vec qjunk.gz
run 1 "$(tail_err junk\\.gz "$gz")" "phrases input with text after gzip" \
    $W2V phrases -q -o out.txt junk.gz
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
run 2 "^w2v: -hs: expected 0 or 1, got '10'$" "-hs 10" $t -hs 10 c.txt
# A boolean word after -cbow or -hs is a bad value, not a corpus; a corpus named so is
# given as a path (./yes).
run 2 "^w2v: -hs: expected 0 or 1, got 'yes'$" "-hs yes" $t -hs yes c.txt
run 2 "^w2v: -cbow: expected 0 or 1, got 'Off'$" "-cbow Off" $t -cbow Off c.txt
cp c.txt yes
run 2 "^w2v: -cbow: expected 0 or 1, got 'yes'$" "-cbow yes, a file named yes" $t -cbow yes
expect_exit 0 "" "-cbow ./yes trains on the file yes" $t -iter 1 -size 4 -cbow ./yes
check "... and writes its vectors" test -s out.bin
rm -f out.bin yes
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
# Exports (.npy, .tsv) are two files: a refused name leaves neither.
run 2 "^w2v: out\.npz: w2v does not write \.npz files; it writes word2vec text or binary" \
    "convert to a format w2v does not write" $W2V convert good.vec out.npz
run 2 "^w2v: -binary: out\.npy names a \.npy export; " "convert -binary 1 to an export name" \
    $W2V convert -binary 1 good.vec out.npy
mkfifo fifo.tsv
run 2 "^w2v: fifo\.tsv: a \.tsv export is two files, fifo\.tsv and fifo\.metadata\.tsv, " \
    "convert to an export on a fifo" $W2V convert good.vec fifo.tsv
check "... none of them left a file" \
    sh -c "! ls out.npz out.npy out.vocab fifo.metadata.tsv 2> /dev/null | grep -q ."
check "the refused runs left the corpus alone" cmp -s c.txt keep.txt
check "... the vectors" cmp -s good.vec keepv.vec
check "... and the model file" cmp -s keep0.model keep.model
run 2 "no training objective" "-negative 0 without -hs" $t -negative 0 c.txt
run 2 "^w2v: -treads: unknown or ambiguous option$" "misspelt option" $t -treads 2 c.txt
run 2 "^w2v: -s: unknown or ambiguous option$" "ambiguous option" $t -s 2 c.txt
run 2 "^w2v: -size: missing value$" "missing option value" $t c.txt -size
run 2 "^w2v: missing corpus" "no corpus" $t
run 2 "^w2v: standard input \(-\) can be read only once$" "stdin twice" $t - c.txt -
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
    # The default -memory is 3/4 of the address-space limit: a model beyond it is refused
    # before it is allocated, saying so; given a larger -memory, the allocation fails and
    # names what it was for.
    run 1 "^w2v: the default memory bound [0-9.]+ MiB is too small: the model of" \
        "the default -memory follows ulimit -v" \
        sh -c "ulimit -v 400000; exec $t -size 100000 -min-count 1 many.txt"
    run 1 "^w2v: input vectors: cannot allocate" "memory limit refuses the model" \
        sh -c "ulimit -v 400000; exec $t -size 100000 -memory 4G -min-count 1 many.txt"
    # Out of memory while counting (an exit from deep inside) still removes out.bin's
    # temporary file.
    awk 'BEGIN { for (i = 0; i < 400000; i++) printf "u%d%s", i, (i % 20 == 19) ? "\n" : " " }' > uniq.txt
    # The message names the array that could not grow, and its size.
    run 1 "^w2v: (word index|word counts|vocabulary sort|vocabulary pruning): cannot allocate [0-9.]+ [KMG]iB \(out of memory\)$" \
        "memory runs out while counting" \
        sh -c "ulimit -v 20000; exec $t -size 1 -iter 1 -min-count 1 uniq.txt"
    # The Huffman tree of 400k words is the largest allocation of this run: its failure
    # is named and ends like any other error. (Here the limit is reached at the tree; a
    # machine whose threads reserve more address space may run out while counting, which
    # is named too.)
    run 1 "^w2v: (hierarchical softmax tree|word index|word counts|vocabulary sort): cannot allocate" \
        "memory runs out for the Huffman tree" \
        sh -c "ulimit -v 85000; exec $t -cbow -hs -negative 0 -size 1 -iter 1 -min-count 1 \
            -memory 1G uniq.txt"
fi
# convert's temporary file (a headerless input needs one) is in $TMPDIR, and says so.
awk 'BEGIN { for (i = 0; i < 2000; i++) {
    printf "g%d", i; for (d = 0; d < 40; d++) printf " 0.%d", d; print "" } }' > big.glove
run 1 "^w2v: TMPDIR /nonexistent-dir: No such file or directory \(convert's temporary file\)$" \
    "convert with a missing \$TMPDIR" \
    sh -c "TMPDIR=/nonexistent-dir exec $W2V convert big.glove out.txt"
mkdir -p tmpd
run 1 "^w2v: TMPDIR $W/tmpd: write failed: File too large \(convert's temporary file\)$" \
    "convert's temporary file beyond the file size limit" \
    sh -c "ulimit -f 64; TMPDIR='$W/tmpd' exec $W2V convert big.glove out.txt"
check "... and the temporary file is gone" sh -c "test -z \"\$(ls -A tmpd)\""
# Vector files, query words and evaluation files.
q="$W2V similar -m"
run 1 "^w2v: badheader\.vec:1: expected a 'COUNT DIM' header .*see -format.$" "bad vectors header" $q badheader.vec w0
run 1 "^w2v: fewrows\.vec: 2 rows, but the header says 3$" "too few rows" $q fewrows.vec w0
run 1 "^w2v: ragged\.vec:3: expected 3 values, got 2$" "ragged row" $q ragged.vec w0
printf '3 2\nw0 1 2\n' > onerow.vec
run 1 "^w2v: onerow\.vec: 1 row, but the header says 3$" "one row of three" $q onerow.vec w0
printf '2 1\nw0 1\nw1 1 2\n' > onedim.vec
run 1 "^w2v: onedim\.vec:3: expected 1 value, got 2$" "ragged row of one dimension" \
    $q onedim.vec w0
run 1 "^w2v: truncbin\.vec: row 1: truncated row" "truncated binary row" $q truncbin.vec w0
run 1 "^w2v: nan\.vec:2: value 2 is not finite: 'nan'$" "NaN value" $q nan.vec w0
run 1 "^w2v: inf\.vec:2: value 3 is not finite: 'inf'$" "Inf value" $q inf.vec w0
run 1 "^w2v: empty\.txt: empty file" "empty vectors file" $q empty.txt w0
run 1 "^w2v: standard input: empty file" "empty vectors file on stdin" \
    sh -c "$q - w0 < empty.txt"
run 1 "^w2v: standard input:2: expected 'word count'$" "malformed -read-vocab on stdin" \
    sh -c "$t -read-vocab - c.txt < badvocab.txt"
run 1 "^w2v: adir: Is a directory$" "directory as vectors file" $q adir w0
run 1 "^w2v: nope\.vec: No such file or directory$" "missing vectors file" $q nope.vec w0
run 1 "^w2v: zzz: not in vocabulary$" "unknown query word" $q good.vec zzz
run 1 "^w2v: zzz: not in vocabulary$" "unknown analogy word" $W2V analogy -m good.vec w0 zzz w1
# A word missing only by its case is pointed at; so is a word cut off by -limit.
printf '4 2\nthe 1 2\nking 1 0\nK\303\266ln 0 1\nqueen 1 1\n' > case.vec
run 1 "^w2v: King: not in vocabulary \(but 'king' is\)$" "query word in another case" \
    $q case.vec King
run 1 "^w2v: KING: not in vocabulary \(but 'king' is\)$" "analogy word in another case" \
    $W2V analogy -m case.vec KING the queen
run 1 "^w2v: QUEEN: not in vocabulary \(but 'queen' is\)$" "similarity word in another case" \
    $W2V similarity -m case.vec king QUEEN
run 1 "^w2v: $(printf 'K\303\226LN'): not in vocabulary \(but '$(printf 'K\303\266ln')' is\)$" \
    "non-ASCII word in another case" $q case.vec "$(printf 'K\303\226LN')"
run 1 "^w2v: King: not in vocabulary \(but 'king' is\)$" "plot word in another case" \
    $W2V plot -m case.vec -o out.txt King queen
run 1 "^w2v: queen: not among the first 2 rows \(-limit 2\)$" "query word beyond -limit" \
    $q case.vec -limit 2 queen
run 1 "^w2v: KING: not among the first 2 rows \(-limit 2\), but 'king' is$" \
    "query word beyond -limit, in another case within it" $q case.vec -limit 2 KING
$W2V convert case.vec case.bin
run 1 "^w2v: queen: not among the first 3 rows \(-limit 3\)$" "binary word beyond -limit" \
    $q case.bin -limit 3 queen
tail -n +2 case.vec > case.glove
run 1 "^w2v: queen: not among the first 3 rows \(-limit 3\)$" "GloVe word beyond -limit" \
    $q case.glove -limit 3 queen
run 1 "^w2v: zzz: not in vocabulary$" "-limit as large as a GloVe file" $q case.glove -limit 4 zzz
printf 'King\nqueen\nKING queen\n' | $W2V similar -m case.vec -k 1 > out.txt 2> err.txt
check "queries from standard input get the hint too" \
    test "$(grep -c "^w2v: K[A-Za-z]*: not in vocabulary (but 'king' is)$" err.txt)" -eq 2
rm -f out.txt
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

# embed: a binary stream as its text (no vectors.bin here for the default -m), inputs
# that cannot be read, bad -sif files.
e="$W2V embed"
$W2V convert good.vec good.bin
run 1 "^w2v: vectors\.bin: No such file or directory$" "embed on a binary stream without -m" \
    sh -c "$e < good.bin"
bin="binary data \(a NUL byte\), not text \(a vectors file is given with -m\)"
run 1 "^w2v: standard input:2: $bin$" "embed on a binary stream" sh -c "$e -m good.vec < good.bin"
run 1 "^w2v: good\.bin:2: binary data \(a NUL byte\), not text" "embed on a binary file" \
    $e -m good.vec good.bin
run 1 "^w2v: nope\.txt: No such file or directory$" "embed on a missing file" \
    $e -m good.vec c.txt nope.txt
run 1 "^w2v: adir: Is a directory$" "embed on a directory" $e -m good.vec adir
run 1 "^w2v: trunc\.gz: truncated gzip data" "embed on truncated gzip" $e -m good.vec trunc.gz
run 1 "^w2v: nope\.vocab: No such file or directory$" "embed -sif missing" \
    $e -m good.vec -sif nope.vocab c.txt
run 1 "^w2v: badvocab\.txt:2: expected 'word count'$" "embed -sif malformed" \
    $e -m good.vec -sif badvocab.txt c.txt
run 2 "^w2v: -sif: expected a file name" "embed -sif empty" $e -m good.vec -sif "" c.txt

# Malformed text vector files: each is read as text, whatever its bad row, and the error
# names the file, the line and the reason, the same for a query and for convert. The rows
# are as training writes them (25 values of 6 decimals), where a bad row among the first
# ones used to make the file look binary.
# vrows N DIM: N rows "wI v1 ... vDIM" of made-up values.
vrows() {
    awk -v n="$1" -v d="$2" 'BEGIN { for (i = 0; i < n; i++) { printf "w%d", i;
        for (k = 0; k < d; k++) printf " %.6f", sin(i * 31 + k * 7) / 2; printf "\n" } }'
}
# vbad NAME LINE AWK-STATEMENT: NAME is the 10 x 25 file with the statement applied to
# line LINE (the header is line 1).
vbad() {
    { echo "10 25"; vrows 10 25; } | awk -v at="$2" "NR == at { $3 } { print }" > "$1"
}
{ echo "10 25"; vrows 10 20; } > dimlow.txt
{ echo "10 20"; vrows 10 25; } > dimhigh.txt
vbad tab.txt 3 '$0 = "new\t" $0'
vbad nanval.txt 3 '$2 = "nan"'
vbad infval.txt 4 '$6 = "-inf"'
vbad hugeval.txt 2 '$3 = "1e39"'
vbad junkval.txt 3 '$4 = "0.1abc"'
vbad missing.txt 3 'NF = 25'
vbad extra.txt 4 '$0 = $0 " 0.5"'
vbad longword.txt 3 's = "w"; while (length(s) < 10000) s = s s; $1 = s'
{ echo "10 25"; vrows 9 25; printf 'w9 0.1 0.2 0.3'; } > cut.txt
while read -r f line reason; do
    pat="^w2v: $(echo "$f" | sed 's/\./\\./'):$line: $reason\$"
    run 1 "$pat" "text vectors $f" $q "$f" w0
    run 1 "$pat" "text vectors $f: convert" $W2V convert "$f" out.txt
done <<'TABLE'
dimlow.txt 2 expected 25 values, got 20
dimhigh.txt 2 expected 20 values, got 25
tab.txt 3 a tab ends the word 'new', and 'w1' after it is not a number
nanval.txt 3 value 1 is not finite: 'nan'
infval.txt 4 value 5 is not finite: '-inf'
hugeval.txt 2 value 2 is beyond the float range: '1e39'
junkval.txt 3 value 3 is not a number: '0\.1abc'
missing.txt 3 expected 25 values, got 24
extra.txt 4 expected 25 values, got 26
longword.txt 3 word longer than 4096 bytes
cut.txt 11 expected 25 values, got 3 \(the file ends inside this line: truncated\?\)
TABLE

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
check "a 20 MB token is cut, with one warning" grep -q "warning: 1 token longer than 255 bytes was cut" err.txt

# A count of one takes the singular, in summaries as in errors.
printf 'a\n' > one.txt
$W2V train -min-count 1 -iter 1 -o out.bin one.txt 2> err.txt
check "one token is a token" grep -q "^w2v: read 1 token in .*, 1 token kept$" err.txt
check "one epoch is an epoch" grep -q "^w2v: done: 1 token x 1 epoch in " err.txt
$W2V classes -k 1 -m good.vec -o out.txt 2> err.txt
check "one class is a class" grep -q "^w2v: 1 class of 2 words: " err.txt
printf 'a b\n' > ab.txt
$W2V phrases -min-count 1 -o out.txt ab.txt 2> err.txt
check "one pair is a pair" grep -q "^w2v: counted 2 words in .*, 1 distinct pair$" err.txt
# Words that are not valid UTF-8 are kept as they came, with one warning counting those of
# the final vocabulary (after -min-count) and showing the first, escaped.
printf 'caf\351 caf\351 caf\351 na\303\257ve na\303\257ve na\303\257ve b\303 x\377y ok ok ok\n' > latin.txt
utf8_warn() {
    echo "w2v: warning: $1 of the vocabulary $2 not valid UTF-8 (the first: 'caf\\xe9'); gensim reads such a file with unicode_errors='replace'"
}
for mc in 1 2; do
    rm -f out.bin
    $W2V train -min-count $mc -iter 1 -size 2 -o out.bin latin.txt 2> err.txt
    if [ $mc = 1 ]; then want=$(utf8_warn "3 words" are); else want=$(utf8_warn "1 word" is); fi
    check "invalid UTF-8 in the vocabulary (-min-count $mc): one warning" \
        sh -c "[ \$(grep -c 'UTF-8' err.txt) -eq 1 ] && grep -qxF \"$want\" err.txt"
done
check "... the word is written as it came" grep -q "$(printf 'caf\351 ')" out.bin
printf 'ok ok b\303 ok\n' > rarebad.txt
$W2V train -min-count 2 -iter 1 -size 2 -o out.bin rarebad.txt 2> err.txt
check "invalid UTF-8 only in dropped words: no warning" sh -c "! grep -q 'UTF-8' err.txt"
rm -f out.bin

# A UTF-8 byte order mark at the start of any input is skipped: never part of a word, a
# header or a section line.
bom=$(printf '\357\273\277')
printf '%sw0 w1 w0 w1\nw0 w1\n' "$bom" > bom.txt
printf 'w0 w1 w0 w1\nw0 w1\n' > nobom.txt
gzip -c bom.txt > bom.gz
for how in "bom.txt" "bom.gz" "- < bom.gz"; do
    rm -f out.txt
    expect_exit 0 "" "corpus with a byte order mark ($how)" \
        sh -c "$W2V train -q -min-count 1 -iter 1 -size 2 -o out.txt $how"
    check "... the mark is no word ($how)" sh -c "head -1 out.txt | grep -qx '3 2' &&
        ! grep -q '$bom' out.txt"
done
printf '%sw0 10\nw1 5\n' "$bom" > bomvocab.txt
rm -f out.txt
expect_exit 0 "" "-read-vocab with a byte order mark" \
    $W2V train -q -iter 1 -size 2 -min-count 1 -read-vocab bomvocab.txt -o out.txt c.txt
check "... the mark is in no word" sh -c "! grep -q '$bom' out.txt"
printf '%s: s\nw0 w1 w0 w1\n' "$bom" > bomq.txt
expect_exit 0 "" "questions with a byte order mark" $W2V eval analogy -m good.vec bomq.txt
printf '%s2 3\nw0 1 2 3\nw1 3 2 1\n' "$bom" > bom.vec
expect_exit 0 "" "text vectors with a byte order mark" $W2V similar -m bom.vec w0
expect_exit 0 "" "phrases input with a byte order mark" $W2V phrases -q bom.txt
check "... the output has no mark" cmp -s "$T/out" nobom.txt
rm -f out.txt
