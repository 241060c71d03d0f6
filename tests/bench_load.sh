#!/bin/sh
# bench_load.sh: how fast the query commands load a large binary vectors file, against
# reading the file with cat (warm cache) and against gensim's load_word2vec_format.
#
# usage: tests/bench_load.sh [ROWS [DIM]]   (default 1000000 x 300, a 1.2 GB file)
# environment: OUT=DIR (bench-out), W2V=PATH (./w2v), RUNS=N (3)
set -eu
rows=${1:-1000000}
dim=${2:-300}
out=${OUT:-bench-out}
w2v=${W2V:-./w2v}
runs=${RUNS:-3}
mkdir -p "$out"
big=$out/big-$rows-$dim.bin
if [ ! -s "$big" ]; then
    cc -O2 -o "$out/mkvectors" tests/mkvectors.c
    "$out/mkvectors" "$rows" "$dim" > "$big"
fi
cat "$big" > /dev/null # warm the cache

median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }
timeit() { # count command... -> seconds (median of count runs)
    n=$1
    shift
    i=0
    while [ $i -lt "$n" ]; do
        /usr/bin/time -f '%e' -o "$out/t" "$@" > /dev/null
        cat "$out/t"
        i=$((i + 1))
    done | median
}

size=$(wc -c < "$big")
t_cat=$(timeit "$runs" cat "$big")
t_w2v=$(timeit "$runs" "$w2v" similar -m "$big" w123)
printf 'file\t%s bytes (%s x %s)\n' "$size" "$rows" "$dim"
printf 'cat\t%s s\n' "$t_cat"
printf 'w2v similar (load + top 10)\t%s s\t%.2fx cat\n' "$t_w2v" \
    "$(awk -v a="$t_w2v" -v b="$t_cat" 'BEGIN {print (b > 0 ? a / b : 0)}')"
if /usr/bin/python3 -c 'import gensim' 2>/dev/null; then
    t_gensim=$(timeit 1 /usr/bin/python3 -c "
import sys
from gensim.models import KeyedVectors
KeyedVectors.load_word2vec_format(sys.argv[1], binary=True)" "$big")
    printf 'gensim load_word2vec_format\t%s s\n' "$t_gensim"
fi
