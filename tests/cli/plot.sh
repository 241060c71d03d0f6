# plot.sh: 'w2v plot': a well-formed SVG with one labelled point per word, inside the
# canvas, labels apart; -neighbours and -analogy; bad input. With python3 the SVG is parsed;
# with numpy too, the coordinates are checked against numpy's SVD of the centred unit rows.
. "$(dirname "$0")/lib.sh"

cat > "$T/toy.vec" <<'VEC'
10 4
king 1 1 0 0.1
queen 1 -1 0 0.1
man 0 1 1 0
woman 0 -1 1 0
prince 2 1 0.2 0
princess 2 -1 0.2 0.1
apple 0.1 0 -1 0.3
pear 0.2 0.1 -1 0.2
Paris 1 0 0 -1
x<&>"y 0.5 0.5 0.5 0.5
VEC
m="-m $T/toy.vec"

expect_exit 0 "plot: 6 points" "plot of six words" $W2V plot $m -o "$T/p.svg" \
    king queen man woman apple 'x<&>"y'
check "... writes an SVG file" grep -q '^<svg ' "$T/p.svg"
check "... one point group per word" test "$(grep -c '<g class="point word"' "$T/p.svg")" -eq 6
check "... the markup in a word is escaped" grep -q '>x&lt;&amp;&gt;&quot;y</text>' "$T/p.svg"

# svg_check DESC FILE WORDS NEIGHBOURS ANSWERS ARROWS: queues a check that the SVG parses
# with one labelled point per word (and so many neighbours, answers and arrows), dots and
# labels inside the canvas, labels apart. svg_numpy DESC FILE VECTORS: queues a check of
# data-x/data-y against numpy's SVD of the centred unit rows. One python3 run does all.
: > "$T/checks"
svg_check() { printf 'svg\t%s\t%s\t%s\t%s\t%s\t%s\n' "$@" >> "$T/checks"; }
svg_numpy() { printf 'numpy\t%s\t%s\t%s\n' "$@" >> "$T/checks"; }
run_checks() {
    python3 - "$T/checks" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {'s': 'http://www.w3.org/2000/svg'}

def svg(path, words, nb, ans, arrows):
    words, nb, ans, arrows = words.split(','), int(nb), int(ans), int(arrows)
    root = ET.parse(path).getroot()
    W, H = float(root.get('width')), float(root.get('height'))
    groups = root.findall('s:g', ns)
    kinds = [g.get('class').split()[1] for g in groups]
    assert kinds.count('word') == len(words), kinds
    assert kinds.count('neighbour') == nb and kinds.count('answer') == ans, kinds
    labels = [g.find('s:text', ns).text for g in groups if 'word' in g.get('class').split()]
    assert sorted(labels) == sorted(words), labels
    assert len(root.findall('s:line', ns)) == arrows
    boxes = []
    for g in groups:
        c, t = g.find('s:circle', ns), g.find('s:text', ns)
        cx, cy = float(c.get('cx')), float(c.get('cy'))
        assert 0 < cx < W and 0 < cy < H, (cx, cy)
        x, y = float(t.get('x')), float(t.get('y'))
        w = len(t.text) * 12 * 0.6
        boxes.append((x, y - 12 * 0.8, x + w, y + 12 * 0.25))
    for i, a in enumerate(boxes):
        assert a[0] >= 0 and a[1] >= 0 and a[2] <= W and a[3] <= H, a
        for b in boxes[:i]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)

def numpy_check(path, vectors):
    import numpy as np
    rows = {}
    for line in open(vectors).read().splitlines()[1:]:
        f = line.split(' ')
        v = np.array([float(x) for x in f[1:]])
        rows[f[0]] = v / np.linalg.norm(v)
    groups = ET.parse(path).getroot().findall('s:g', ns)
    names = [g.find('s:text', ns).text for g in groups]
    got = np.array([[float(g.get('data-x')), float(g.get('data-y'))] for g in groups])
    X = np.array([rows[n] for n in names])
    X -= X.mean(axis=0)
    U, S, Vt = np.linalg.svd(X, full_matrices=False)
    want = U[:, :2] * S[:2]
    for k in range(2):
        assert min(abs(got[:, k] - want[:, k]).max(), abs(got[:, k] + want[:, k]).max()) < 1e-4

try:
    import numpy
except ImportError:
    numpy = None
for line in open(sys.argv[1]).read().splitlines():
    kind, desc, *args = line.split('\t')
    if kind == 'numpy' and numpy is None:
        continue
    try:
        (svg if kind == 'svg' else numpy_check)(*args)
        print('pass\t' + desc)
    except Exception as e:
        print('fail\t%s: %r' % (desc, e))
PY
}
svg_check "... parses as XML, one labelled point per word, in the canvas, labels apart" \
    "$T/p.svg" 'king,queen,man,woman,apple,x<&>"y' 0 0 0
svg_numpy "... coordinates agree with numpy's SVD to 1e-4" "$T/p.svg" "$T/toy.vec"

expect_exit 0 "" "-neighbours 2" $W2V plot $m -neighbours 2 -o "$T/n.svg" king apple
check "... adds up to 4 lighter neighbour points" \
    test "$(grep -c '<g class="point neighbour"' "$T/n.svg")" -eq 4
expect_exit 0 "" "-analogy king man woman" $W2V plot $m -analogy -o "$T/a.svg" king man woman
check "... draws the answer queen" grep -q '<g class="point answer".*>queen</text>' "$T/a.svg"
check "... and two arrows" test "$(grep -c 'class="arrow"' "$T/a.svg")" -eq 2
svg_check "... parses, with its points placed" "$T/a.svg" 'king,man,woman' 0 1 2
svg_check "-neighbours SVG parses" "$T/n.svg" 'king,apple' 4 0 0
# A crowd: 24 words close together and two far away, so that labels must move aside.
awk 'BEGIN {
    print 26, 3
    for (i = 0; i < 24; i++) printf "crowd%02d 1 %.3f %.3f\n", i, (i % 5) / 40, int(i / 5) / 40
    print "farx 0 1 0"
    print "fary 0 0 1"
}' > "$T/crowd.vec"
words=$(cut -d' ' -f1 "$T/crowd.vec" | tail -n +2 | tr '\n' ' ')
expect_exit 0 "" "a crowded plot" $W2V plot -m "$T/crowd.vec" -o "$T/c.svg" $words
check "... places every label without overlap" sh -c "! grep -q overlap '$T/err'"
svg_check "... parses, labels apart and inside the canvas" \
    "$T/c.svg" "$(echo $words | tr ' ' ',')" 0 0 0
expect_exit 0 "" "-o - writes to standard output" $W2V plot -q $m -o - king queen
check "... the SVG document" grep -q '</svg>' "$T/out"
# A GloVe file of one dimension whose first row reads as a header: -format says what it is.
printf '3 1\na 1\nb 2\n' > "$T/amb.glove"
expect_exit 1 "amb.glove: 2 rows, but the header says 3" "a GloVe file taken for a header" \
    $W2V plot -m "$T/amb.glove" -o "$T/g.svg" a b
expect_exit 0 "plot: 2 points" "-format glove" $W2V plot -format glove -m "$T/amb.glove" \
    -o "$T/g.svg" a 3
expect_exit 2 "^w2v: -format: expected text, binary, glove or fasttext, got 'gz'" "-format gz" \
    $W2V plot -format gz -m "$T/amb.glove" a b
check "plot -h names GloVe and -format" sh -c "$W2V plot -h | grep -q 'text, binary or GloVe' &&
    $W2V plot -h | grep -q -- '-format F'"

expect_exit 1 "^w2v: nosuch: not in vocabulary" "unknown word" $W2V plot $m -o "$T/u.svg" king nosuch
check "... writes no file" test ! -e "$T/u.svg"
expect_exit 2 "expected 3 words" "-analogy with 2 words" $W2V plot $m -analogy king man
expect_exit 2 "at least 2 words" "a single word" $W2V plot $m king
expect_exit 2 "^w2v: -neighbours" "-neighbours -1" $W2V plot $m -neighbours -1 king queen
expect_exit 2 "^w2v: -width" "-width 10" $W2V plot $m -width 10 king queen
expect_exit 1 "fewer than 2 distinct" "the same word twice" $W2V plot $m -o "$T/d.svg" king king
expect_exit 1 "" "unwritable output" $W2V plot $m -o "$T/no/dir/p.svg" king queen
expect_exit 0 "" "plot -h" $W2V plot -h
check "... lists -neighbours and -analogy" \
    sh -c "grep -q -- '-neighbours N' '$T/out' && grep -q -- '-analogy' '$T/out'"

if command -v python3 > /dev/null 2>&1; then
    run_checks > "$T/verdicts"
    while IFS="$(printf '\t')" read -r verdict desc; do
        "$verdict" "$desc"
    done < "$T/verdicts"
    check "python3 checked every queued SVG" test "$(wc -l < "$T/verdicts")" -ge 4
fi
