#!/bin/sh
# bench_query.sh: query times at scale on a large binary vectors file (the one
# tests/bench_load.sh makes): 'similar -k K' for several K, and a batch of analogy queries
# read from standard input, each timed once (wall and user seconds).
#
# usage: tests/bench_query.sh [ROWS [DIM [QUERIES]]]   (default 1000000 x 300, 10000)
# environment: OUT=DIR (bench-out), W2V=PATH (./w2v), KS="1000 100000 1000000"
set -eu
rows=${1:-1000000}
dim=${2:-300}
nq=${3:-10000}
out=${OUT:-bench-out}
w2v=${W2V:-./w2v}
ks=${KS:-1000 100000 1000000}
mkdir -p "$out"
big=$out/big-$rows-$dim.bin
if [ ! -s "$big" ]; then
    cc -O2 -o "$out/mkvectors" tests/mkvectors.c
    "$out/mkvectors" "$rows" "$dim" > "$big"
fi
cat "$big" > /dev/null # warm the cache
# analogy queries over the 100,000 most frequent words, from a fixed seed
awk -v n="$nq" -v r="$rows" 'BEGIN { s = 11; m = r < 100000 ? r : 100000
    for (i = 0; i < n; i++) for (j = 0; j < 3; j++) {
        s = (s * 1103515245 + 12345) % 2147483648
        printf "w%d%s", int(s / 65536) % m, j < 2 ? " " : "\n" } }' > "$out/analogies.txt"

timed() { # label command... -> "label<TAB>wall s<TAB>user s"
    label=$1
    shift
    /usr/bin/time -f '%e %U' -o "$out/t" "$@" > /dev/null
    printf '%s\t%s s wall\t%s s user\n' "$label" $(cat "$out/t")
}
printf 'file\t%s x %s\tCPU: %s\n' "$rows" "$dim" "$(lscpu | sed -n 's/^Model name: *//p')"
for k in $ks; do
    timed "similar -k $k" "$w2v" similar -m "$big" -k "$k" w123
done
timed "analogy, $nq lines on stdin" sh -c "exec '$w2v' analogy -m '$big' < '$out/analogies.txt'"
