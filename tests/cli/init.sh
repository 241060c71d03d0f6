# init.sh: -init from any vectors file (word2vec text and binary, gzip, GloVe, as well as
# model files), -grow-vocab adding the corpus's new words, and -save-context writing the
# output vectors.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

$GENCORPUS 20000 1 > a.txt
# The second corpus: more of the same language, and words the first never had.
$GENCORPUS 8000 2 > b.txt
for i in 1 2 3 4 5 6 7 8; do echo "the zebra saw a quokka near the wombat"; done >> b.txt
base="$W2V train -q -threads 1 -seed 4 -size 12 -iter 2"
check "a first model" $base -o first.bin -save-model first.model -save-vocab first.vocab a.txt
check "  ... in text, gzip and GloVe too" sh -c "$W2V convert first.bin first.vec &&
    gzip -c first.bin > first.bin.gz && $W2V convert -glove first.bin first.glove"

more="$W2V train -q -threads 1 -seed 9 -iter 1"
check "-init takes word2vec's binary vectors" $more -init first.bin -o i-bin.vec b.txt
check "-init takes them gzipped, to the same vectors" sh -c \
    "$more -init first.bin.gz -o i-gz.vec b.txt && cmp -s i-bin.vec i-gz.vec"
check "-init takes text vectors" $more -init first.vec -o i-vec.vec b.txt
check "-init takes GloVe's text, to the same vectors as the same values in word2vec's" sh -c \
    "$more -init first.glove -o i-glove.vec b.txt && cmp -s i-vec.vec i-glove.vec"
check "the vocabulary is the file's" sh -c \
    "tail -n +2 first.vec | cut -d' ' -f1 | sort > want && tail -n +2 i-bin.vec | cut -d' ' -f1 | sort > got && cmp -s want got"
# A word of the first model that the second corpus never has keeps its row as it was.
absent=$(tail -n +2 first.vec | cut -d' ' -f1 | while read -r w; do
    grep -qw -- "$w" b.txt || { echo "$w"; break; }; done)
check "a word the new corpus lacks exists ($absent)" test -n "$absent"
check "  ... and keeps its row" sh -c \
    "grep '^$absent ' first.vec > want && grep '^$absent ' i-vec.vec > got && cmp -s want got"
check "a word of both corpora was trained further" sh -c \
    "grep '^the ' first.vec > want && grep '^the ' i-vec.vec > got && ! cmp -s want got"
check "new words are dropped without -grow-vocab" sh -c "! grep -q '^zebra ' i-vec.vec"
$W2V train -threads 1 -seed 9 -iter 1 -init first.vec -o o.vec b.txt 2> out.err
check "a vectors file's output side starts at zero, and the run says so" \
    grep -q "first.vec has no output vectors: negative sampling's start at zero" out.err
check "a vectors file leaves the model's settings to the command line" \
    $more -init first.vec -cbow 1 -window 3 -o cbow.vec b.txt
expect_exit 1 "first\.vec: -init: the vectors have 12 dimensions, not 20 \(-size\)" \
    "-size must be the file's" $more -init first.vec -size 20 -o x.vec b.txt
expect_exit 1 "-init -: standard input may hold a w2v model file or a fastText model" \
    "vectors on standard input are refused" sh -c "$more -init - -o x.vec b.txt < first.vec"

# -grow-vocab: every old word and every new word at -min-count.
check "-grow-vocab adds the new words" \
    $more -init first.bin -grow-vocab -min-count 5 -o g.vec -save-vocab g.vocab b.txt
check "  ... every word of the file is there" sh -c \
    "tail -n +2 first.vec | cut -d' ' -f1 | sort > old && tail -n +2 g.vec | cut -d' ' -f1 | sort > got &&
     test -z \"\$(comm -23 old got)\""
check "  ... and the new ones at -min-count" sh -c \
    "grep -q '^zebra ' g.vec && grep -q '^quokka ' g.vec && grep -q '^wombat ' g.vec"
check "  ... and the rows stay in descending count" sh -c \
    "awk 'NR > 2 && \$2 > last { bad = 1 } NR > 1 { last = \$2 } END { exit bad }' g.vocab"
check "  ... new words below -min-count are not added" sh -c \
    "$more -init first.bin -grow-vocab -min-count 9 -o g9.vec b.txt && ! grep -q '^zebra ' g9.vec"
check "-grow-vocab from a model file keeps the file's counts" sh -c \
    "$more -init first.model -grow-vocab -o gm.vec -save-vocab gm.vocab b.txt &&
     grep '^the ' first.vocab > want && grep '^the ' gm.vocab > got && cmp -s want got &&
     grep -q '^zebra 8$' gm.vocab"

# -save-context: the output vectors, one a word, in -o's format choices.
check "-save-context writes the output vectors" \
    $base -o v.vec -save-context c.vec a.txt
check "  ... for the same words" sh -c \
    "cut -d' ' -f1 v.vec > want && cut -d' ' -f1 c.vec > got && cmp -s want got"
check "  ... and other values" sh -c "! cmp -s v.vec c.vec"
check "  ... binary by its name" sh -c \
    "$base -o v.bin -save-context c.bin a.txt && $W2V convert c.bin c2.vec && cmp -s c.vec c2.vec"
expect_exit 2 "-save-context: hierarchical softmax alone has no context vector" \
    "-save-context with hierarchical softmax alone" \
    $base -hs 1 -negative 0 -o h.bin -save-context hc.vec a.txt
$base -hs 1 -negative 0 -o h.bin -save-model h.model a.txt
expect_exit 1 "-save-context: the model of h\.model has no negative sampling" \
    "-save-context with an -init model of hierarchical softmax" \
    $more -init h.model -o x.vec -save-context hc.vec b.txt
check "no file left by the refused runs" sh -c "test ! -e hc.vec && test ! -e x.vec"
