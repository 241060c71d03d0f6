#!/bin/sh
# bench.sh: speed, memory and accuracy of w2v train on a corpus (default: the shared
# text8like benchmark), optionally beside fastText and gensim run in the same session.
#
# usage: tests/bench.sh [CORPUS]
# environment:
#   RUNS=sg,cbow,hs,sub  which configurations (see below)        [sg,cbow,hs,sub]
#   SCALING=1          also time skip-gram with 1 thread, and as   [1]
#                      two 1-thread processes side by side (what
#                      this host gives two cores that share nothing)
#   EPOCHS=N           train every configuration N epochs instead  [unset]
#                      of its own -iter (one epoch side by side is
#                      how the peers are compared quickly)
#   REPEAT=N           run each w2v configuration N times, run k   [1]
#                      with -seed k (the seed moves accuracy more
#                      than thread timing does, so repeats vary it)
#   PEERS=1            also run ../shared/bench/peers.sh          [0]
#                      (for sub, subword vectors, fastText alone
#                      with the same n-grams)
#   WORD2VEC=PATH      also run this build of the original word2vec  [unset]
#                      (given the unpacked corpus, same settings)
#   OUT=DIR            where vectors and logs go                  [bench-out]
#   W2V=PATH           binary under test                          [./w2v]
# Prints one tab-separated row per run: name, wall seconds, peak RSS MiB, raw words/s
# (corpus tokens x epochs / wall seconds, reading included), analogy total, semantic,
# syntactic, WordSim-353 Spearman. Accuracy comes from ../shared/bench/judge.py when gensim
# is installed, otherwise from 'w2v eval'. After each configuration, one 'ratio' row per
# peer that ran: w2v's median words/s (2 threads) over the peer's, both from this session.
# With SCALING, 'scaling' rows give skip-gram's median words/s with 2 threads and with two
# processes over its median with 1 thread, and the first over the second: how much of what
# the host gives two cores the threads reach; then threads over processes repeat by
# repeat, and the median of those. 'peak' rows estimate the share of the CPU's
# multiply-add peak each negative-sampling run reached (see peak() for how).
# Speed ratios hold for the CPU they were measured on: note 'lscpu' beside them.
set -eu
corpus=${1:-../shared/corpora/text8like.gz}
runs=${RUNS:-sg,cbow,hs,sub}
out=${OUT:-bench-out}
w2v=${W2V:-./w2v}
shared=$(dirname "$corpus")/..
judge=$shared/bench/judge.py
questions=$shared/eval/questions-words.txt
pairs=$shared/eval/wordsim353.txt
threads=2
[ -f "$corpus" ] || { echo "bench.sh: $corpus: no such corpus" >&2; exit 2; }
mkdir -p "$out"
tokens=$(gzip -dcf "$corpus" | wc -w)

settings() {
    if [ -n "${EPOCHS:-}" ]; then
        base_settings "$1" | sed "s/-iter [0-9]*/-iter $EPOCHS/"
    else
        base_settings "$1"
    fi
}

base_settings() {
    case $1 in
    sg) echo "-size 100 -window 5 -negative 5 -sample 1e-3 -iter 5 -min-count 5" ;;
    cbow) echo "-cbow 1 -size 200 -window 8 -negative 25 -sample 1e-4 -iter 15 -min-count 5" ;;
    hs) echo "-cbow 1 -size 100 -window 5 -negative 0 -hs 1 -sample 1e-3 -iter 5 -min-count 5" ;;
    sub) echo "-minn 3 -maxn 6 -size 100 -window 5 -negative 5 -sample 1e-3 -iter 1 -min-count 5" ;;
    esac
}

score() { # vectors -> "total sem syn ws353"
    if /usr/bin/python3 -c 'import gensim' 2>/dev/null; then
        /usr/bin/python3 "$judge" "$1" | awk -F'\t' '
            $1 == "analogy_total" {t = $2} $1 == "analogy_semantic" {s = $2}
            $1 == "analogy_syntactic" {y = $2} $1 == "wordsim353_spearman" {w = $2}
            END {printf "%.4f\t%.4f\t%.4f\t%.4f", t, s, y, w}'
    else
        a=$("$w2v" eval analogy -m "$1" "$questions")
        p=$("$w2v" eval similarity -m "$1" "$pairs")
        printf '%s\t%s\t%s\t%s' "$(echo "$a" | awk -F'\t' '$1 == "total" {print $2}')" \
            "$(echo "$a" | awk -F'\t' '$1 == "semantic" {print $2}')" \
            "$(echo "$a" | awk -F'\t' '$1 == "syntactic" {print $2}')" \
            "$(echo "$p" | cut -f2)"
    fi
}

# Prints and records the row of run 'name' (its time in $out/name.time), whose vectors are
# 'vec', made by 'copies' runs side by side of the settings' -iter epochs over the corpus.
row() { # name vec copies settings...
    name=$1 vec=$2 copies=$3; shift 3
    iter=$(echo "$@" | sed -n 's/.*-iter \([0-9]*\).*/\1/p')
    read -r wall rss < "$out/$name.time"
    printf '%s\t%s\t%.0f\t%.0f\t%s\n' "$name" "$wall" "$(echo "$rss" | awk '{print $1 / 1024}')" \
        "$(awk -v c="$copies" -v w="$tokens" -v i="$iter" -v s="$wall" 'BEGIN {print c * w * i / s}')" \
        "$(score "$vec")" | tee -a "$out/results.tsv"
}

run() { # name threads settings...
    name=$1 t=$2; shift 2
    vec=$out/$name.bin
    /usr/bin/time -f '%e %M' -o "$out/$name.time" "$w2v" train -v -threads "$t" "$@" \
        -o "$vec" "$corpus" 2> "$out/$name.log"
    row "$name" "$vec" 1 "$@"
    peak "$name" "$t" "$@"
}

# The share of the CPU's multiply-add peak a run reached, for negative sampling without
# subwords: each prediction scores (negative + 1) output rows of -size floats, and each
# row costs 3 x size multiply-adds (the dot product, the input's gradient, the output
# row's update); CBOW also averages its window into one input and hands the gradient back
# to it, about 2 x (window + 1) x size more (the mean reduced window holds window + 1
# words). The predictions are the run's own count (the "work:" line of -v). The peak is
# cores x floats a vector register holds (16 with the avx512 kernels, 8 with avx2, 1
# otherwise) x 2 multiply-add units a core (assumed: Zen 4 and 5, Ice Lake and Sapphire
# Rapids servers have two) x the clock /proc/cpuinfo reports. An estimate: it says how far
# the arithmetic alone is from what the run took, not a measurement of the units.
peak() { # name threads settings...
    name=$1 t=$2; shift 2
    case " $* " in *" -hs 1 "*|*" -maxn "*) return ;; esac
    awk -v name="$name" -v t="$t" -v cores="$(nproc)" -v args=" $* " \
        -v mhz="$(awk -F': ' '/^cpu MHz/ {print $2; exit}' /proc/cpuinfo)" '
        function opt(o, dflt) {
            if (!match(args, " " o " [^ ]+")) return dflt
            return substr(args, RSTART + length(o) + 2, RLENGTH - length(o) - 2)
        }
        /^w2v: work: / { pairs = $3 }
        /^w2v: kernels: / { k = $3 }
        END {
            if (pairs == 0 || mhz == 0) exit
            d = opt("-size", 100); neg = opt("-negative", 5); w = opt("-window", 5)
            per = 3 * d * (neg + 1) + (args ~ / -cbow 1 / ? 2 * (w + 1) * d : 0)
            lanes = k == "avx512" ? 16 : k == "avx2" ? 8 : 1
            used = t < cores ? t : cores
            getline wall < ("'"$out"'/" name ".time")
            split(wall, f, " ")
            share = pairs * per / f[1] / (used * lanes * 2 * mhz * 1e6)
            printf "peak\t%s\t%.1f%%\t%.3g multiply-adds, %d x %d lanes x 2 units x %.0f MHz\n",
                name, 100 * share, pairs * per, used, lanes, mhz
        }' "$out/$name.log" | tee -a "$out/peaks.tsv"
}

# Two 1-thread runs started together; words/s counts both runs' words over the wall time
# until the second ends. Accuracy is the first run's.
run_pair() { # name settings...
    name=$1; shift
    /usr/bin/time -f '%e %M' -o "$out/$name.time" sh -c '
        vec=$1 corpus=$2; shift 2
        "$@" -o "$vec.a.bin" "$corpus" & first=$!
        "$@" -o "$vec.b.bin" "$corpus"; second=$?
        wait $first && [ $second = 0 ]' sh "$out/$name" "$corpus" \
        "$w2v" train -q -threads 1 "$@"
    row "$name" "$out/$name.a.bin" 2 "$@"
}

# word2vec's own spelling of a configuration: skip-gram must be asked for, and its output
# format and the corpus are given as options.
word2vec_run() { # name settings...
    name=$1; shift
    [ -f "$out/corpus.txt" ] || gzip -dcf "$corpus" > "$out/corpus.txt"
    cbow=0
    case " $* " in *" -cbow 1 "*) cbow=1 ;; esac
    args=$(echo "$@" | sed 's/-cbow 1//')
    /usr/bin/time -f '%e %M' -o "$out/$name.time" "$WORD2VEC" -train "$out/corpus.txt" \
        -output "$out/$name.bin" -binary 1 -cbow $cbow -threads $threads $args > /dev/null
    row "$name" "$out/$name.bin" 1 "$@"
}

# fastText's skip-gram with the same character n-grams as the sub configuration (peers.sh
# trains fastText without n-grams). Its .vec is scored like w2v's vectors.
fasttext_sub() { # name
    name=$1
    [ -f "$out/corpus.txt" ] || gzip -dcf "$corpus" > "$out/corpus.txt"
    /usr/bin/time -f '%e %M' -o "$out/$name.time" fasttext skipgram -input "$out/corpus.txt" \
        -output "$out/$name" -dim 100 -ws 5 -neg 5 -t 1e-3 -minCount 5 -epoch 1 -lr 0.025 \
        -minn 3 -maxn 6 -thread $threads -verbose 0 > /dev/null
    row "$name" "$out/$name.vec" 1 -iter 1
}

# The median of a[1..n] (sorts a), for the awk programs below.
awk_median='
    function median(a, n,   i, j, t) {
        for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) {t = a[i]; a[i] = a[j]; a[j] = t}
        return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }'

ratios() { # configuration: w2v's median words/s over each peer's
    awk -F'\t' -v r="$1" "$awk_median"'
        $1 ~ "^w2v-" r "\\.[0-9]+$" {w[++n] = $4}
        $1 ~ "^(word2vec|fasttext|gensim)-" r "$" {peer[$1] = $4}
        END {
            if (n == 0) exit
            m = median(w, n)
            for (p in peer) if (peer[p] > 0) printf "ratio\tw2v-%s/%s\t%.2f\n", r, p, m / peer[p]
        }' "$out/results.tsv"
}

scaling() { # configuration: medians of 2 threads and of two processes over 1 thread
    awk -F'\t' -v r="$1" "$awk_median"'
        $1 ~ "^w2v-" r "\\.[0-9]+$" {two[++nt] = $4}
        $1 ~ "^w2v-" r "-1thread\\.[0-9]+$" {one[++n1] = $4}
        $1 ~ "^w2v-" r "-2proc\\.[0-9]+$" {pair[++np] = $4}
        END {
            if (nt == 0 || n1 == 0 || np == 0) exit
            # Threads over processes repeat by repeat (the rows come in the repeats order;
            # each repeat runs both within a minute or so, so that a slow spell of the host
            # weighs on both), before median() sorts the arrays.
            for (n = 0; n < nt && n < np; n++) {
                by[n + 1] = two[n + 1] / pair[n + 1]
                list = list sprintf("%s%.2f", n > 0 ? " " : "", by[n + 1])
            }
            t = median(two, nt) / median(one, n1)
            p = median(pair, np) / median(one, n1)
            printf "scaling\tw2v-%s 2 threads/1 thread\t%.2f\n", r, t
            printf "scaling\tw2v-%s 2 processes/1 thread\t%.2f\n", r, p
            printf "scaling\tw2v-%s threads/processes\t%.2f\n", r, t / p
            printf "scaling\tw2v-%s threads/processes by repeat\t%.2f\t%s\n", r, median(by, n), list
        }' "$out/results.tsv"
}

: > "$out/results.tsv"
printf 'run\twall_s\tpeak_MiB\twords_per_s\tanalogy\tsemantic\tsyntactic\tws353\n'
for r in $(echo "$runs" | tr ',' ' '); do
    # Repeats alternate the thread counts, so that a noisy spell hits both alike.
    for k in $(seq "${REPEAT:-1}"); do
        run "w2v-$r.$k" $threads $(settings "$r") -seed "$k"
        if [ "$r" = sg ] && [ "${SCALING:-1}" = 1 ]; then
            run "w2v-$r-1thread.$k" 1 $(settings "$r") -seed "$k"
            run_pair "w2v-$r-2proc.$k" $(settings "$r") -seed "$k"
        fi
    done
    if [ "${PEERS:-0}" = 1 ] && [ "$r" = sub ]; then
        if command -v fasttext > /dev/null; then
            fasttext_sub "fasttext-$r"
        fi
    elif [ "${PEERS:-0}" = 1 ] && [ -x "$shared/bench/peers.sh" ]; then
        bash "$shared/bench/peers.sh" "$corpus" "$out/peers-$r" -threads $threads \
            $(settings "$r") > /dev/null
        for p in fasttext gensim; do
            f=$out/peers-$r/$p.vec
            [ -f "$f" ] || f=$out/peers-$r/$p.bin
            [ -f "$f" ] || continue
            line=$(grep "^$p" "$out/peers-$r/results.tsv" | tail -n 1)
            printf '%s-%s\t%s\t%.0f\t%s\t%s\n' "$p" "$r" "$(echo "$line" | cut -f2)" \
                "$(echo "$line" | cut -f3 | awk '{print $1 / 1024}')" "$(echo "$line" | cut -f4)" \
                "$(score "$f")" | tee -a "$out/results.tsv"
        done
    fi
    if [ -n "${WORD2VEC:-}" ] && [ "$r" != sub ]; then
        word2vec_run "word2vec-$r" $(settings "$r")
    fi
    ratios "$r"
    scaling "$r"
done
