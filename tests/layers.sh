#!/bin/sh
# layers.sh: the stages of src/ in the order the data flows through them. A file may include
# headers of its own folder and of folders on a lower level, never of a higher one or of a
# sibling on its own level; every quoted include names its folder ("text/vocab.h"). Prints
# each include that breaks the order, and each file longer than LAYERS_MAX_LINES (a module
# that long does more than one job: split it), and exits 1 if there is one.
#
#   0 base      logging, errors, clocks, strings, the random generator
#   1 io        files in and out: input, output, vector files
#   2 text      text to word ids: tokenizer, vocabulary, id stream, phrases
#   3 train     ids to a model: the learning rule, kernels, threads, model files
#   3 query     vectors to answers: neighbours, evaluations, k-means, plots
#   4 mpi       training as several processes
#   5 pipeline  one library call per command, from options to files
#   6 cli       options, help and messages
cd "$(dirname "$0")/.." || exit 2
LAYERS_MAX_LINES=700
level() {
    case $1 in
    base) echo 0 ;; io) echo 1 ;; text) echo 2 ;; train | query) echo 3 ;; mpi) echo 4 ;;
    pipeline) echo 5 ;; cli) echo 6 ;; *) echo -1 ;;
    esac
}
bad=0
for f in src/*/*.c src/*/*.h; do
    [ -f "$f" ] || continue
    own=$(basename "$(dirname "$f")")
    mine=$(level "$own")
    if [ "$mine" -lt 0 ]; then
        echo "layers: $f: folder $own has no level (tests/layers.sh)"
        bad=1
        continue
    fi
    for inc in $(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
        case $inc in
        */*) ;;
        *)
            echo "layers: $f: \"$inc\" does not name its folder"
            bad=1
            continue
            ;;
        esac
        dir=${inc%%/*}
        theirs=$(level "$dir")
        if [ "$dir" != "$own" ] && { [ "$theirs" -lt 0 ] || [ "$theirs" -ge "$mine" ]; }; then
            echo "layers: $f ($own) includes $inc ($dir): an include may only run down"
            bad=1
        fi
    done
done
for f in src/*/*.c src/*/*.h; do
    n=$(wc -l < "$f")
    if [ "$n" -gt "$LAYERS_MAX_LINES" ]; then
        echo "layers: $f: $n lines, more than $LAYERS_MAX_LINES: split it by job"
        bad=1
    fi
done
[ "$bad" -eq 0 ] && echo "layers: every include runs down, every file within $LAYERS_MAX_LINES lines"
exit "$bad"
