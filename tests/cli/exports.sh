# exports.sh: 'w2v convert' to .npy (NumPy) and .tsv (TensorBoard's projector). The .npy
# files are read back by a reader of this script (od and awk: NumPy's header and the raw
# float bytes, compared byte for byte with those of the binary input), and by numpy when a
# python3 with numpy is installed; the .tsv files against the text format's digits. Then
# the options (-limit, -vocab, -normalize), gzip and GloVe inputs; names refused (other
# tools' formats, an export to standard output or a special file); and failures, which
# leave no file of the pair behind, nor a temporary file.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

$GENCORPUS 3000 1 > c.txt
$W2V train -q -threads 1 -seed 3 -size 12 -min-count 1 -iter 1 -o v.bin c.txt
$W2V convert v.bin v.txt
rows=$(head -1 v.txt | cut -d' ' -f1)
dim=$(head -1 v.txt | cut -d' ' -f2)
TAB=$(printf '\t')

# hex.awk: the bytes of a file (od -An -v -t x1 on stdin) in b[0..n-1].
cat > hex.awk <<'AWK'
function h2d(h) {
    return (index("0123456789abcdef", substr(h, 1, 1)) - 1) * 16 + \
        index("0123456789abcdef", substr(h, 2, 1)) - 1
}
function text(from, to,    s, p) {
    s = ""
    for (p = from; p < to; p++) s = s sprintf("%c", h2d(b[p]))
    return s
}
{ for (i = 1; i <= NF; i++) b[n++] = $i }
AWK
# npy.awk: NumPy's format 1.0 as its documentation states it: the magic, version 1.0, a
# little-endian header length that puts the data at a multiple of 64 bytes, a dictionary
# of '<f4' C-order data and a 2-D shape, padded with spaces, ended by a newline, then
# exactly rows * dims * 4 bytes. Prints "ROWS DIM", then the value bytes of each row.
cat hex.awk - > npy.awk <<'AWK'
END {
    if (b[0] b[1] b[2] b[3] b[4] b[5] != "934e554d5059" || b[6] != "01" || b[7] != "00") {
        print "bad magic or version"; exit 1
    }
    hl = h2d(b[8]) + 256 * h2d(b[9])
    if ((10 + hl) % 64 != 0 || b[9 + hl] != "0a") { print "bad header length " hl; exit 1 }
    d = text(10, 9 + hl)
    if (d !~ /^\{'descr': '<f4', 'fortran_order': False, 'shape': \([0-9]+, [0-9]+\), \} *$/) {
        print "bad header: " d; exit 1
    }
    sub(/.*'shape': \(/, "", d); sub(/\).*/, "", d); split(d, sh, ", ")
    if (n != 10 + hl + 4 * sh[1] * sh[2]) { print "data of " n - 10 - hl " bytes"; exit 1 }
    print sh[1], sh[2]
    p = 10 + hl
    for (r = 0; r < sh[1]; r++) {
        line = ""
        for (k = 0; k < 4 * sh[2]; k++) line = line b[p++]
        print line
    }
}
AWK
# bin.awk: word2vec's binary format: a "ROWS DIM" line, then per row the word, a space and
# DIM little-endian floats, newlines between rows. Prints "ROWS DIM", then the value bytes
# of each row.
cat hex.awk - > bin.awk <<'AWK'
END {
    p = 0
    while (b[p] != "0a") p++
    split(text(0, p++), hd, " ")
    print hd[1], hd[2]
    for (r = 0; r < hd[1]; r++) {
        while (b[p] == "0a") p++
        while (b[p] != "20") p++
        p++
        line = ""
        for (k = 0; k < 4 * hd[2]; k++) line = line b[p++]
        print line
    }
}
AWK
npy_rows() { od -An -v -t x1 "$1" | awk -f npy.awk; }
bin_rows() { od -An -v -t x1 "$1" | awk -f bin.awk; }
# same_rows NPY BIN: the .npy file holds the values of the binary file BIN, bit for bit.
same_rows() { npy_rows "$1" > got.rows && bin_rows "$2" > want.rows && cmp -s got.rows want.rows; }
# same_words WORDS TEXT: WORDS lists the words of the text vectors file TEXT, one a line.
same_words() { tail -n +2 "$2" | cut -d' ' -f1 | cmp -s - "$1"; }
# same_tsv TSV TEXT: TSV holds the values of TEXT, tab-separated (the same digits).
same_tsv() { tail -n +2 "$2" | cut -d' ' -f2- | tr ' ' '\t' | cmp -s - "$1"; }
# shape NPY: "ROWS DIM" as the .npy header says.
shape() { npy_rows "$1" | head -1; }
# nothing_left NAME...: none of the files exists, and no temporary file either.
nothing_left() {
    for name in "$@"; do
        if [ -e "$name" ] || [ -L "$name" ]; then return 1; fi
    done
    ! ls -a | grep -q '\.tmp\.'
}

# numpy, when there is a python3 that has it; else the checks rely on npy.awk alone.
PY=
for p in python3 /usr/bin/python3; do
    if "$p" -c 'import numpy' 2> /dev/null; then PY=$p; break; fi
done
# numpy_same NPY BIN: numpy loads NPY as a float32 (rows, dims) array equal to the rows of
# the word2vec binary file BIN, read by a few lines of Python.
numpy_same() {
    "$PY" - "$1" "$2" <<'PY'
import sys, numpy as np
a = np.load(sys.argv[1])
data = open(sys.argv[2], 'rb').read()
nl = data.index(b'\n')
rows, dim = map(int, data[:nl].split())
p, want = nl + 1, []
for _ in range(rows):
    while data[p:p + 1] == b'\n':
        p += 1
    p = data.index(b' ', p) + 1
    want.append(np.frombuffer(data[p:p + 4 * dim], dtype='<f4'))
    p += 4 * dim
assert a.dtype == np.dtype('<f4') and a.shape == (rows, dim), (a.dtype, a.shape)
assert a.flags['C_CONTIGUOUS'] and np.array_equal(a, np.array(want)), 'values differ'
PY
}
# both_readers DESC NPY BIN: the .npy against the binary file, by npy.awk and by numpy.
both_readers() {
    check "$1" same_rows "$2" "$3"
    if [ -n "$PY" ]; then
        check "$1 (numpy)" numpy_same "$2" "$3"
    fi
}
if [ -z "$PY" ]; then
    skip "numpy reading the .npy files (no python3 with numpy; read with od and awk only)"
fi

# Round trips: the .npy holds the binary rows bit for bit, the words file their words.
expect_exit 0 "" "convert to .npy" $W2V convert v.bin v.npy
check "... a header that puts the data at byte 128 (NumPy 1.0, header length 118)" \
    sh -c "head -c 10 v.npy | od -An -t x1 | tr -d ' \n' | grep -qx 934e554d505901007600"
check "... shape ($rows, $dim)" test "$(shape v.npy)" = "$rows $dim"
both_readers "... every value read back" v.npy v.bin
check "... the words one a line in v.vocab, in the rows' order" same_words v.vocab v.txt
expect_exit 0 "" "convert to .tsv" $W2V convert v.bin v.tsv
check "... one row a line, tab-separated, the text format's 6 decimals" same_tsv v.tsv v.txt
check "... the words in v.metadata.tsv, no header line" same_words v.metadata.tsv v.txt
check "... $dim values on each of the $rows lines" \
    awk -F"$TAB" -v d="$dim" -v r="$rows" 'NF != d {exit 1} END {exit NR != r}' v.tsv
expect_exit 0 "" "a name in upper case: V.NPY" $W2V convert v.bin V.NPY
check "... is an export, its words in V.vocab" sh -c "cmp -s V.NPY v.npy && cmp -s V.vocab v.vocab"

# -limit, -vocab, -normalize: the rows of the same conversion to binary and text.
# export_as DESC OPTIONS... : converts v.bin with OPTIONS to x.bin, x.txt, x.npy and x.tsv,
# then checks the exports against x.bin and x.txt.
export_as() {
    desc=$1; shift
    rm -f x.*
    $W2V convert "$@" v.bin x.bin && $W2V convert x.bin x.txt
    n=$(head -1 x.txt | cut -d' ' -f1)
    expect_exit 0 "" "$desc to .npy" $W2V convert "$@" v.bin x.npy
    check "... shape ($n, $dim)" test "$(shape x.npy)" = "$n $dim"
    both_readers "... the rows of the binary conversion" x.npy x.bin
    check "... their words" same_words x.vocab x.txt
    expect_exit 0 "" "$desc to .tsv" $W2V convert "$@" v.bin x.tsv
    check "... the rows of the text conversion" same_tsv x.tsv x.txt
    check "... their words" same_words x.metadata.tsv x.txt
}
export_as "-limit 7" -limit 7
check "... 7 rows" test "$(shape x.npy)" = "7 $dim"
sed -n '9p;4p;2p' v.txt | cut -d' ' -f1 > keep.txt
echo nosuch >> keep.txt
export_as "-vocab (the row count known at the end)" -vocab keep.txt
check "... 3 rows" test "$(shape x.npy)" = "3 $dim"
export_as "-normalize" -normalize
check "... unit rows" awk -F"$TAB" '{s = 0; for (i = 1; i <= NF; i++) s += $i * $i}
    s < 0.99999 || s > 1.00001 {exit 1}' x.tsv
export_as "-vocab -limit -normalize" -vocab keep.txt -limit 5 -normalize
check "... 2 rows (two listed words among the first 5)" test "$(shape x.npy)" = "2 $dim"

# Inputs: gzip, GloVe (no header: the .npy header's count is written at the end).
gzip -c v.bin > v.bin.gz
expect_exit 0 "" "a gzipped input to .npy" $W2V convert v.bin.gz g.npy
check "... the same files as from the plain input" \
    sh -c "cmp -s g.npy v.npy && cmp -s g.vocab v.vocab"
$W2V convert -glove v.bin v.glove
$W2V convert v.glove gl.bin
expect_exit 0 "" "a GloVe input to .npy" $W2V convert v.glove gl.npy
check "... shape ($rows, $dim), counted at the end" test "$(shape gl.npy)" = "$rows $dim"
both_readers "... its rows" gl.npy gl.bin
check "... its words" same_words gl.vocab v.txt
expect_exit 0 "" "a GloVe input to .tsv" $W2V convert v.glove gl.tsv
check "... the text format's rows" same_tsv gl.tsv v.txt
expect_exit 0 "" "a GloVe input with -vocab to .npy" $W2V convert -vocab keep.txt v.glove gk.npy
check "... shape (3, $dim)" test "$(shape gk.npy)" = "3 $dim"

# Duplicate words are exported as they come, with the warning of every conversion.
printf '3 2\nx 0.5 0.25\ny 1 2\nx -1 0.125\n' > dup.vec
expect_exit 0 "1 duplicate word, written as they came" "duplicates exported with a warning" \
    $W2V convert dup.vec dup.tsv
check "... all 3 rows" sh -c "printf 'x\ny\nx\n' | cmp -s - dup.metadata.tsv &&
    printf '0.500000\t0.250000\n1.000000\t2.000000\n-1.000000\t0.125000\n' | cmp -s - dup.tsv"

# Other names keep today's meaning: binary unless a text name; -binary and -glove write any
# name, even one of another tool's format.
$W2V convert v.txt t.bin
for name in vectors vectors.bin out.xyz glove.6B.50d; do
    expect_exit 0 "" "OUT $name is a binary vectors file" $W2V convert v.txt "$name"
    check "... as before" cmp -s "$name" t.bin
done
expect_exit 0 "" "-binary 1 writes out.csv as asked" $W2V convert -binary 1 v.txt out.csv
check "... binary" cmp -s out.csv t.bin

# Names refused: one line, status 2, no file. A format w2v does not write, without -binary
# or -glove; an export with them; an export to standard output or another special file.
mkdir refused && cd refused || exit 1
writes='it writes word2vec text or binary \(-binary 0\|1, any name\), GloVe \(-glove\), '
writes="$writes\\.npy and \\.tsv\$"
for name in out.npz out.csv out.PARQUET out.h5 out.json out.pkl out.safetensors out.csv.gz; do
    ext=${name#out}
    expect_exit 2 "^w2v: $name: w2v does not write \\$ext files; $writes" \
        "OUT $name is refused" $W2V convert ../v.bin "$name"
done
for name in out.npy.gz out.tsv.gz; do
    expect_exit 2 "^w2v: $name: w2v does not write " "a compressed export $name is refused" \
        $W2V convert ../v.bin "$name"
done
expect_exit 2 "^w2v: -binary: x\.npy names a \.npy export; -binary and -glove write word2vec's" \
    "-binary 0 with a .npy name" $W2V convert -binary 0 ../v.bin x.npy
expect_exit 2 "^w2v: -glove: x\.tsv names a \.tsv export" "-glove with a .tsv name" \
    $W2V convert -glove ../v.bin x.tsv
check "... none of them wrote a file" test -z "$(ls -A)"
cd .. || exit 1
ln -s /dev/stdout so.npy
two="a \.npy export is two files, so\.npy and so\.vocab"
expect_exit 2 "^w2v: so\.npy: $two, which standard output or a special file cannot hold$" \
    "an export to standard output (a pipe) is refused" \
    sh -c "{ $W2V convert v.bin so.npy; echo \$? > so.rc; } | cat; exit \$(cat so.rc)"
rm -f so.rc
check "... and writes no words file" nothing_left so.vocab
mkfifo ff.tsv ffw.vocab
expect_exit 2 "^w2v: ff\.tsv: a \.tsv export is two files" "an export to a fifo is refused" \
    $W2V convert v.bin ff.tsv
check "... and writes no words file" nothing_left ff.metadata.tsv
expect_exit 2 "^w2v: ffw\.npy: a \.npy export is two files" "an export whose words file is a fifo" \
    $W2V convert v.bin ffw.npy
check "... writes no array" nothing_left ffw.npy
expect_exit 2 "^w2v: v\.vocab: -vocab and the words file name the same file$" \
    "the words file may not overwrite -vocab" $W2V convert -vocab v.vocab v.bin v.npy
# The words file may replace the input (read whole before the rename), as OUT may.
cp v.txt in.vocab
expect_exit 0 "" "the words file may replace the input" $W2V convert in.vocab in.npy
check "... which then holds the words" cmp -s in.vocab v.vocab

# Failures leave no file of the pair: the words file in a directory that does not exist,
# or one that cannot be written; either file beyond the file size limit.
ln -s nodir/w.vocab w.vocab
expect_exit 1 "^w2v: w\.vocab: No such file or directory$" "the words file's directory is missing" \
    $W2V convert v.bin w.npy
check "... no array written" nothing_left w.npy
mkdir ro
ln -s ro/r.metadata.tsv r.metadata.tsv
if [ "$(id -u)" -ne 0 ]; then
    chmod 555 ro
    expect_exit 1 "^w2v: r\.metadata\.tsv: Permission denied$" \
        "the words file's directory is not writable" $W2V convert v.bin r.tsv
    check "... no values written" nothing_left r.tsv ro/r.metadata.tsv
    chmod 755 ro
else
    skip "an unwritable directory for the words file (running as root)"
fi
# Long words and one value a row: the words file (about 200 KB) goes beyond the limit and
# the array (8 KB) does not; many values and short words: the other way round.
awk 'BEGIN {
    w = "w"; while (length(w) < 100) w = w "x"
    print 2000, 1; for (i = 0; i < 2000; i++) printf "%s%d 0.5\n", w, i
}' > long.vec
awk 'BEGIN {
    print 200, 300
    for (i = 0; i < 200; i++) {
        printf "w%d", i; for (d = 0; d < 300; d++) printf " 0.25"; print ""
    }
}' > wide.vec
for f in long wide; do
    for e in npy tsv; do
        words=$f.vocab
        [ $e = tsv ] && words=$f.metadata.tsv
        expect_exit 1 "write failed: File too large$" "$f rows to .$e beyond the file size limit" \
            sh -c "ulimit -f 64; exec $W2V convert $f.vec $f.$e"
        check "... leave neither file" nothing_left $f.$e $words
    done
done
# An existing pair stays as it was when its replacement fails.
cp v.npy long.npy
cp v.vocab long.vocab
expect_exit 1 "write failed: File too large$" "replacing a pair fails" \
    sh -c "ulimit -f 64; exec $W2V convert long.vec long.npy"
check "... the old pair is kept" sh -c "cmp -s long.npy v.npy && cmp -s long.vocab v.vocab"
check "... no temporary file left" nothing_left

# A word with a tab cannot be a line of words. Vector files never hold one (their readers
# refuse control bytes), but a fastText model's dictionary may: one is made by changing a
# byte of a word of a model that w2v wrote.
$W2V train -q -threads 1 -seed 3 -size 8 -min-count 1 -iter 1 -minn 3 -maxn 4 -bucket 1000 \
    -o ft.vec -save-fasttext ft.bin c.txt
word=$(sed -n 3p ft.vec | cut -d' ' -f1)
# The offset of the word's first byte in the model: the word, then its NUL.
want="$(printf '%s' "$word" | od -An -t x1) 00"
off=$(od -An -v -t x1 ft.bin | awk -v want="$want" '
    { for (i = 1; i <= NF; i++) b[n++] = $i }
    END {
        m = split(want, w, " ")
        for (p = 0; p + m <= n; p++) {
            for (k = 1; k <= m && b[p + k - 1] == w[k]; k++) { }
            if (k > m) { print p; exit }
        }
        print -1
    }')
if [ "${#word}" -ge 2 ] && [ "$off" -ge 0 ]; then
    printf '\t' | dd of=ft.bin bs=1 seek=$((off + 1)) conv=notrunc 2> /dev/null
    # the model's reader refuses the word, before any output, whatever the output
    for e in npy tsv vec; do
        expect_exit 1 "ft\.bin: dictionary entry 2 of [0-9]+: word contains control byte 0x09" \
            "a fastText word with a tab to .$e" $W2V convert ft.bin ftt.$e
        check "... leaves no file" nothing_left ftt.$e ftt.vocab ftt.metadata.tsv
    done
else
    skip "a fastText word with a tab (the word '$word' was not found in the model)"
fi
