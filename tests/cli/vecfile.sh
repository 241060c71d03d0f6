# vecfile.sh: vector files from the command line: w2v convert between text, binary, gzip
# and GloVe (round trips), -format, duplicate words, rows of extreme values read mapped and
# through gzip, and files w2v trained itself at small sizes.
. "$(dirname "$0")/lib.sh"

printf 'the king rules the land and the queen rules the sea\n' > "$T/line"
i=0
while [ $i -lt 40 ]; do cat "$T/line"; i=$((i + 1)); done > "$T/corpus.txt"

# Binary files whose rows hold no control byte used to be read as text.
$W2V train -q -threads 1 -seed 7 -size 4 -min-count 1 -iter 1 -o "$T/v4.bin" "$T/corpus.txt"
expect_exit 0 "" "similar reads its own -size 4 binary file" $W2V similar -m "$T/v4.bin" king
check "... and lists the 7 other words" test "$(wc -l < "$T/out")" -eq 7

# Round trips: binary -> text, gzip, GloVe and back.
v="$T/v4.bin"
expect_exit 0 "" "convert binary to text" $W2V convert "$v" "$T/v.txt"
check "... text has the header and 6 decimals" sh -c "head -1 '$T/v.txt' | grep -qx '8 4' &&
    sed -n 2p '$T/v.txt' | grep -Eq '^</s>( -?[0-9]+\.[0-9]{6}){4}$'"
expect_exit 0 "" "convert binary to gzipped binary" $W2V convert "$v" "$T/v.bin.gz"
check "... is gzip" sh -c "gzip -dc '$T/v.bin.gz' | cmp -s - '$v'"
expect_exit 0 "" "convert gzipped binary back" $W2V convert "$T/v.bin.gz" "$T/back.bin"
check "... every row exactly" cmp -s "$T/back.bin" "$v"
expect_exit 0 "" "convert -glove" $W2V convert -glove "$v" "$T/v.glove"
check "... GloVe is the text rows without the header" sh -c "tail -n +2 '$T/v.txt' | cmp -s - '$T/v.glove'"
expect_exit 0 "" "convert GloVe (detected) to gzipped text" $W2V convert "$T/v.glove" "$T/g.vec.gz"
check "... equals the text file" sh -c "gzip -dc '$T/g.vec.gz' | cmp -s - '$T/v.txt'"
expect_exit 0 "" "convert text to binary -binary 1 to stdout" $W2V convert -binary 1 "$T/v.txt" -
cp "$T/out" "$T/t.bin"
expect_exit 0 "" "... and back to text" $W2V convert "$T/t.bin" "$T/t.txt"
check "... text survives to printed precision" cmp -s "$T/t.txt" "$T/v.txt"
expect_exit 0 "" "convert -format glove from stdin" sh -c "$W2V convert -format glove - '$T/s.txt' < '$T/v.glove'"
check "... counts the rows for the header" cmp -s "$T/s.txt" "$T/v.txt"
printf 'queen 12\nking\n\nnosuch 3\n' > "$T/keep.vocab"
# OUT may be IN: converted in place, the file replaced once the conversion is complete (the
# input is read through the descriptor opened first), through a link too.
cp "$v" "$T/ip.bin"
ln -s ip.bin "$T/ip-link"
expect_exit 0 "" "convert IN IN: binary to text in place" \
    $W2V convert -binary 0 "$T/ip.bin" "$T/ip.bin"
check "... holds the text conversion" cmp -s "$T/ip.bin" "$T/v.txt"
expect_exit 0 "" "... back to binary through a link to it" \
    $W2V convert -binary 1 "$T/ip-link" "$T/ip-link"
check "... as the text read back, the link kept" \
    sh -c "cmp -s '$T/ip.bin' '$T/t.bin' && test -L '$T/ip-link'"
cp "$v" "$T/ip.bin.gz"
expect_exit 0 "" "... a gzip file in place, the input not read to its end (-limit)" \
    $W2V convert -limit 3 -format binary "$T/ip.bin.gz" "$T/ip.bin.gz"
check "... the first 3 rows" sh -c "gzip -dc '$T/ip.bin.gz' | head -n 1 | grep -qx '3 4'"
cp "$T/v.glove" "$T/ip.glove"
expect_exit 0 "" "... GloVe in place, the header counted at the end" \
    $W2V convert -binary 0 "$T/ip.glove" "$T/ip.glove"
check "... equals the text file" cmp -s "$T/ip.glove" "$T/v.txt"
cp "$T/v.txt" "$T/ip.txt"
expect_exit 0 "" "... -vocab in place" $W2V convert -vocab "$T/keep.vocab" "$T/ip.txt" "$T/ip.txt"
check "... keeps the listed words" \
    sh -c "cut -d' ' -f1 '$T/ip.txt' | tr '\n' ' ' | grep -qx '2 king queen '"
check "... no temporary file left" sh -c "! ls -a '$T' | grep -q '\.tmp\.'"
expect_exit 0 "" "convert -vocab -limit" $W2V convert -vocab "$T/keep.vocab" -limit 7 "$v" "$T/k.txt"
check "... keeps the listed words among the first 7 rows" sh -c "head -1 '$T/k.txt' | grep -qx '2 4' &&
    cut -d' ' -f1 '$T/k.txt' | tail -n +2 | tr '\n' ' ' | grep -qx 'king queen '"
expect_exit 0 "" "convert -normalize" $W2V convert -normalize "$v" "$T/n.txt"
check "... writes unit rows" sh -c "tail -n +3 '$T/n.txt' | awk '{s = 0; for (i = 2; i <= NF; i++) s += \$i * \$i;
    if (s < 0.99999 || s > 1.00001) exit 1}'"
printf 'nosuch\n' > "$T/none.vocab"
expect_exit 1 "no word of -vocab" "convert: no rows" $W2V convert -vocab "$T/none.vocab" "$v" "$T/none.txt"
check "... writes nothing" test ! -e "$T/none.txt"
expect_exit 2 "^w2v: expected IN and OUT$" "convert without OUT" $W2V convert "$v"
expect_exit 2 "^w2v: -format: expected text, binary, glove or fasttext, got 'bin'$" "convert -format bin" \
    $W2V convert -format bin "$v" "$T/x.txt"
expect_exit 2 "^w2v: -format: expected text, binary, glove or fasttext, got 'txt'$" "similar -format txt" \
    $W2V similar -format txt -m "$v" king

# -format overrides detection; a GloVe file is read by the query commands too.
expect_exit 0 "" "similar -format binary" $W2V similar -format binary -m "$v" king
expect_exit 1 "v4\.bin:2: " "similar -format text on a binary file" $W2V similar -format text -m "$v" king
expect_exit 0 "" "similar on a GloVe file" $W2V similar -m "$T/v.glove" -k 1 king

# Duplicate words: one warning, the first row kept, never a neighbour of itself.
printf '4 2\nx 1 0\ny 0.8 0.6\nx 0.99 0.01\ny 0 1\n' > "$T/dup.vec"
expect_exit 0 "2 duplicate words; the first row of each is kept" "duplicates warned once" \
    $W2V similar -m "$T/dup.vec" x
check "... x's neighbours are y alone" sh -c "cut -f1 '$T/out' | tr '\n' ' ' | grep -qx 'y '"
check "... with the first y row" grep -qx "y	0.800000" "$T/out"

# Huge (3e38) and denormal (1e-40) rows: the mapped file and its gzip copy agree, and
# every cosine is a number within [-1, 1].
cat > "$T/ext.vec" <<'VEC'
7 4
big1 3e38 1e38 -2e38 3e38
big2 -3e38 3e38 3e38 1e38
tiny1 1e-40 2e-40 -1e-40 3e-40
tiny2 2e-40 -1e-40 1e-40 1e-40
a 0.3 -0.2 0.5 0.1
b 1 2 -1 0.5
c 0.5 0.5 0.5 -0.5
VEC
$W2V convert "$T/ext.vec" "$T/ext.bin" && gzip -c "$T/ext.bin" > "$T/ext.bin.gz"
for w in big1 big2 tiny1 tiny2 a b; do
    $W2V similar -m "$T/ext.bin" $w > "$T/m.$w" 2>&1
    $W2V similar -m "$T/ext.bin.gz" $w > "$T/g.$w" 2>&1
    check "extreme rows: similar $w mapped = gzip" cmp -s "$T/m.$w" "$T/g.$w"
    check "... cosines within [-1, 1]" awk -F'\t' 'NF != 2 || !($2 >= -1 && $2 <= 1) {exit 1}' "$T/m.$w"
done
