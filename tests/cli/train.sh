# train.sh: w2v train end to end: determinism across input forms, output formats,
# options from word2vec scripts, vocabulary files, signals.
. "$(dirname "$0")/lib.sh"

# A small corpus: 30 sentences' worth of words from a fixed word list, 400 lines.
awk 'BEGIN {
    n = split("the a of and to in is was he she it king queen man woman city river " \
              "north south east west red green blue one two three", w, " ")
    s = 12345
    for (line = 0; line < 400; line++) {
        len = 5 + line % 11
        out = ""
        for (i = 0; i < len; i++) {
            s = (s * 1103515245 + 12345) % 2147483648
            out = out (i ? " " : "") w[1 + int(s / 65536) % n]
        }
        print out
    }
}' > "$T/c.txt"
gzip -c "$T/c.txt" > "$T/c.txt.gz"
base="-threads 1 -seed 7 -size 12 -min-count 2 -iter 2 -q"
# rows expected: </s> plus the words seen at least twice
want_rows=$(awk '{for (i = 1; i <= NF; i++) c[$i]++} END {n = 1; for (w in c) if (c[w] >= 2) n++; print n}' "$T/c.txt")

check "trains a plain file" $W2V train $base -o "$T/plain.bin" "$T/c.txt"
check "gzip input gives identical vectors" sh -c "$W2V train $base -o '$T/gz.bin' '$T/c.txt.gz' && cmp -s '$T/plain.bin' '$T/gz.bin'"
check "stdin pipe gives identical vectors" sh -c "cat '$T/c.txt.gz' | $W2V train $base -o '$T/stdin.bin' - && cmp -s '$T/plain.bin' '$T/stdin.bin'"
check "same seed, same output" sh -c "$W2V train $base -o '$T/again.bin' '$T/c.txt' && cmp -s '$T/plain.bin' '$T/again.bin'"
check "another seed, other output" sh -c "$W2V train $base -seed 8 -o '$T/seed8.bin' '$T/c.txt' && ! cmp -s '$T/plain.bin' '$T/seed8.bin'"
check "-train FILE is the corpus" sh -c "$W2V train $base -o '$T/t.bin' -train '$T/c.txt' && cmp -s '$T/plain.bin' '$T/t.bin'"

# Binary layout: header, then per row: word, space, 12 floats, newline.
rows=$(head -n 1 "$T/plain.bin" | cut -d' ' -f1)
dim=$(head -n 1 "$T/plain.bin" | cut -d' ' -f2)
words_bytes=$(tail -n +2 "$T/plain.bin" | wc -c)
check "binary header says 12 dimensions" test "$dim" = 12
check "binary has one row per kept word and </s>" test "$rows" = "$want_rows"
$W2V train $base -o "$T/v.txt" "$T/c.txt"
check "text output for .txt names" sh -c "head -n 1 '$T/v.txt' | grep -qx '$want_rows 12' && test \$(wc -l < '$T/v.txt') -eq $((want_rows + 1))"
check "text rows have 13 fields" sh -c "tail -n +2 '$T/v.txt' | awk 'NF != 13 {bad=1} END {exit bad}'"
check "first row is </s>" sh -c "sed -n 2p '$T/v.txt' | grep -q '^</s> '"
check "binary file size matches rows" sh -c "test \$(( $words_bytes - \$(tail -n +2 '$T/v.txt' | cut -d' ' -f1 | wc -c) )) -eq \$(( $want_rows * (1 + 4 * 12) ))"
check "-binary 0 forces text" sh -c "$W2V train $base -binary 0 -o '$T/forced.bin' '$T/c.txt' && cmp -s '$T/forced.bin' '$T/v.txt'"
check "-binary 1 forces binary" sh -c "$W2V train $base -binary 1 -o '$T/forced.txt' '$T/c.txt' && cmp -s '$T/forced.txt' '$T/plain.bin'"
check ".gz output is gzip" sh -c "$W2V train $base -o '$T/v.txt.gz' '$T/c.txt' && gzip -dc '$T/v.txt.gz' | cmp -s - '$T/v.txt'"
check "-o - writes text to stdout" sh -c "$W2V train $base -o - '$T/c.txt' > '$T/stdout.txt' && cmp -s '$T/stdout.txt' '$T/v.txt'"
check "-o V.TXT is text and .GZ compressed" sh -c "$W2V train $base -o '$T/V.TXT.GZ' '$T/c.txt' && gzip -dc '$T/V.TXT.GZ' | cmp -s - '$T/v.txt'"
ln -s target.bin "$T/link.bin"
check "-o through a dangling symlink creates its target" sh -c "$W2V train $base -o '$T/link.bin' '$T/c.txt' && test -L '$T/link.bin' && cmp -s '$T/target.bin' '$T/plain.bin'"
check "-o through a symlink replaces its target, keeps the link" sh -c "$W2V train $base -seed 8 -o '$T/link.bin' '$T/c.txt' && test -L '$T/link.bin' && cmp -s '$T/target.bin' '$T/seed8.bin'"
chmod 640 "$T/target.bin"
$W2V train $base -o "$T/target.bin" "$T/c.txt"
check "an existing output keeps its permission bits" test "$(stat -c %a "$T/target.bin")" = 640
check "-o /dev/stdout is written in place" sh -c "$W2V train $base -o /dev/stdout -binary 0 '$T/c.txt' > '$T/devout.txt' && cmp -s '$T/devout.txt' '$T/v.txt'"
check "no temporary files left" sh -c "! ls '$T' | grep -q '\\.tmp\\.'"

# word2vec's spellings of flags.
$W2V train $base -cbow -o "$T/cbow.bin" "$T/c.txt"
check "-cbow 1 equals -cbow" sh -c "$W2V train $base -cbow 1 -o '$T/cbow1.bin' '$T/c.txt' && cmp -s '$T/cbow.bin' '$T/cbow1.bin'"
check "-cbow 0 equals skip-gram" sh -c "$W2V train $base -cbow 0 -o '$T/cbow0.bin' '$T/c.txt' && cmp -s '$T/plain.bin' '$T/cbow0.bin'"
check "cbow differs from skip-gram" sh -c "! cmp -s '$T/cbow.bin' '$T/plain.bin'"
check "-hs 1 -negative 0 trains" $W2V train $base -hs 1 -negative 0 -o "$T/hs.bin" "$T/c.txt"
check "-hs 0 equals no -hs" sh -c "$W2V train $base -hs 0 -o '$T/hs0.bin' '$T/c.txt' && cmp -s '$T/plain.bin' '$T/hs0.bin'"
check "-dim is -size, -epochs is -iter" sh -c "$W2V train -threads 1 -seed 7 -dim 12 -min-count 2 -epochs 2 -q -o '$T/alias.bin' '$T/c.txt' && cmp -s '$T/plain.bin' '$T/alias.bin'"
check "hs and negative combined, fixed window, 4 threads" $W2V train $base -hs -negative 3 -fixed-window -threads 4 -o "$T/mix.bin" "$T/c.txt"
check "-max-vocab keeps the most frequent rows" sh -c "$W2V train $base -max-vocab 10 -o '$T/mv.txt' '$T/c.txt' && head -n 1 '$T/mv.txt' | grep -qx '10 12'"

# Vocabulary files.
$W2V train $base -save-vocab "$T/vocab.txt" -o "$T/sv.bin" "$T/c.txt"
check "save-vocab writes word count lines, </s> first" sh -c "head -n 1 '$T/vocab.txt' | grep -q '^</s> 400\$' && test \$(wc -l < '$T/vocab.txt') -eq $want_rows"
check "read-vocab reproduces the run" sh -c "$W2V train $base -read-vocab '$T/vocab.txt' -o '$T/rv.bin' '$T/c.txt' && cmp -s '$T/plain.bin' '$T/rv.bin'"
check "-read-vocab - reads standard input" sh -c "$W2V train $base -read-vocab - -o '$T/rvs.bin' '$T/c.txt' < '$T/vocab.txt' && cmp -s '$T/plain.bin' '$T/rvs.bin'"
head -n 5 "$T/vocab.txt" > "$T/few.vocab"
$W2V train -threads 1 -iter 1 -read-vocab "$T/few.vocab" -o "$T/few.bin" "$T/c.txt" 2> "$T/few.err"
check "a vocabulary covering under half the corpus is warned about" grep -q "^w2v: warning: only .* of the corpus's words are in the vocabulary" "$T/few.err"

# Output and progress.
$W2V train -threads 1 -size 8 -min-count 2 -iter 1 -o "$T/p.bin" "$T/c.txt" 2> "$T/progress.txt"
check "summary line on stderr" grep -q '^w2v: done: ' "$T/progress.txt"
check "memory estimate on stderr" grep -q '^w2v: memory: ' "$T/progress.txt"
check "read and kept token counts agree" sh -c "grep '^w2v: read ' '$T/progress.txt' | sed 's/.*read \\([^ ]*\\) tokens.*, \\([^ ]*\\) tokens kept/\\1 \\2/' | awk '\$1 != \$2 {exit 1}'"
$W2V train -v -threads 1 -size 8 -min-count 2 -iter 1 -o - - < "$T/c.txt" > /dev/null \
    2> "$T/std.txt"
check "-v names standard output as such" grep -q '^w2v: wrote standard output in ' "$T/std.txt"
$W2V train -threads 1 -size 8 -iter 1 -sample 1e-9 -o "$T/s.bin" "$T/c.txt" 2> "$T/sample.txt"
check "-sample keeping under 5 % is warned about" grep -q '^w2v: warning: -sample 1e-09 keeps about' "$T/sample.txt"
# Set-up of the weights is announced (always with -v); a set-up this short shows no
# progress line in a log (the line itself is checked in tests/unit/base/test_progress.c).
awk 'BEGIN { for (i = 0; i < 5000; i++) printf "s%d%s", i, (i % 20 == 19) ? "\n" : " " }' > "$T/setup.txt"
$W2V train -v -threads 1 -size 600 -min-count 1 -iter 1 -o "$T/setup.bin" "$T/setup.txt" 2> "$T/setup.err"
check "set-up is announced with its size" grep -q '^w2v: setting up 22\.9 MiB of weights$' "$T/setup.err"
check "a short set-up shows no progress line in a log" \
    sh -c "! grep -q '^w2v: setting up .*%' '$T/setup.err'"
check "-q prints nothing" sh -c "$W2V train $base -o '$T/q.bin' '$T/c.txt' 2>&1 | wc -c | grep -qx 0"
check "-h lists options with defaults" sh -c "$W2V train -h | grep -q -- '-window N.*\\[5\\]'"

# A signal stops training, exits 128+signal and leaves no file behind. (env starts w2v
# with SIGHUP at its default even when the suite itself runs under nohup.)
awk 'BEGIN { for (i = 0; i < 300000; i++) printf "w%d%s", i % 5000, (i % 20 == 19) ? "\n" : " " }' > "$T/big.txt"
for sig in TERM INT HUP QUIT; do
    env --default-signal=HUP $W2V train -q -threads 2 -iter 1000 -o "$T/sig.bin" "$T/big.txt" 2> "$T/sig.err" &
    pid=$!
    sleep 1
    before=$(date +%s%N)
    kill -$sig $pid
    # A run that ignores the signal is killed after 5 s, so that the check fails rather
    # than hangs.
    n=0
    while kill -0 $pid 2>/dev/null && [ $n -lt 50 ]; do sleep 0.1; n=$((n + 1)); done
    kill -KILL $pid 2>/dev/null
    wait $pid
    rc=$?
    after=$(date +%s%N)
    case $sig in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; QUIT) want=131 ;; esac
    check "SIG$sig exits $want" test $rc -eq $want
    check "SIG$sig stops the run within a second" test $(((after - before) / 1000000)) -lt 1000
    check "SIG$sig is reported in one line" sh -c "test \$(wc -l < '$T/sig.err') -eq 1 && grep -q '^w2v: interrupted by signal' '$T/sig.err'"
    check "SIG$sig leaves no output" sh -c "! ls '$T' | grep -q '^sig\\.bin'"
done

# A reader that goes away (SIGPIPE) ends the run with 141, quietly and with no temporary
# file, whether the vectors or the vocabulary go to the pipe.
cd "$T" || exit 1
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "p%d%s", i, (i % 20 == 19) ? "\n" : " " }' > "$T/wide.txt"
{ $W2V train -q -threads 1 -iter 1 -size 50 -min-count 1 -o - -save-vocab pv.txt wide.txt 2> pipe1.err; echo $? > pipe1.rc; } | head -c 100 > /dev/null
check "SIGPIPE on the vectors exits 141" test "$(cat pipe1.rc)" = 141
check "... quietly: the reader has what it wanted" test ! -s pipe1.err
{ $W2V train -q -threads 1 -iter 1 -size 4 -min-count 1 -save-vocab - -o pipe.bin wide.txt 2> pipe2.err; echo $? > pipe2.rc; } | head -c 100 > /dev/null
check "SIGPIPE on the vocabulary exits 141" test "$(cat pipe2.rc)" = 141
check "... quietly" test ! -s pipe2.err
check "SIGPIPE leaves no output or temporary file" sh -c "! ls | grep -q 'pipe\.bin\|\.tmp\.'"

# An ignored SIGHUP stays ignored (nohup).
nohup $W2V train -q -threads 1 -iter 1000 -o "$T/nohup.bin" "$T/big.txt" > /dev/null 2>&1 &
pid=$!
sleep 0.5
kill -HUP $pid
sleep 0.5
check "an ignored SIGHUP (nohup) does not stop the run" kill -0 $pid
kill -TERM $pid 2>/dev/null
wait $pid
check "SIGTERM still stops a nohup run cleanly" sh -c "! ls '$T' | grep -q '^nohup\\.bin'"

# Divergence without NaN: a loss that stays far above the untrained model's is an error.
expect_exit 1 "^w2v: training diverged \(loss .* per prediction, untrained model .*\); lower -alpha$" \
    "a runaway learning rate is reported" \
    $W2V train -q -threads 1 -seed 7 -size 12 -min-count 2 -iter 20 -alpha 0.7 -hs -negative 0 \
    -o "$T/div.bin" "$T/c.txt"
check "a diverged run writes no vectors" test ! -e "$T/div.bin"

# Several inputs are one corpus: the same text split at line ends gives the same vectors,
# whatever mix of plain, gzip and standard input carries it.
head -n 150 "$T/c.txt" > "$T/part1.txt"
sed -n '151,300p' "$T/c.txt" | gzip -c > "$T/part2.txt.gz"
tail -n +301 "$T/c.txt" > "$T/part3.txt"
check "three files equal one" sh -c "$W2V train $base -o '$T/parts.bin' '$T/part1.txt' '$T/part2.txt.gz' '$T/part3.txt' && cmp -s '$T/plain.bin' '$T/parts.bin'"
check "stdin among files equals one file" sh -c "cat '$T/part2.txt.gz' | $W2V train $base -o '$T/parts2.bin' '$T/part1.txt' - '$T/part3.txt' && cmp -s '$T/plain.bin' '$T/parts2.bin'"
expect_exit 1 "^w2v: $T/nope\\.txt: No such file or directory$" "a missing second input is named" \
    $W2V train $base -o "$T/parts3.bin" "$T/part1.txt" "$T/nope.txt"
check "a failed input leaves no output" sh -c "! ls '$T' | grep -q '^parts3\\.bin'"

# The id stream spills to a temporary file when -memory leaves it no room; the vectors are
# the same as in memory. 160k tokens of 3000 words: with the model (-size 100) it
# needs 4.3M, with room for 66.5K of the id stream's 262.7K.
awk 'BEGIN { s = 7; for (line = 0; line < 8000; line++) { out = ""
    for (i = 0; i < 20; i++) { s = (s * 1103515245 + 12345) % 2147483648; r = s / 2147483648
        out = out (i ? " " : "") "w" int(3000 * r * r * r) }
    print out } }' > "$T/sp.txt"
sp="-threads 1 -seed 3 -size 100 -iter 1 -v"
sq="-threads 1 -seed 3 -size 100 -iter 1 -q"
mkdir -p "$T/spill"
$W2V train $sp -o "$T/sp-mem.bin" "$T/sp.txt" 2> "$T/sp-mem.err"
$W2V train $sp -memory 4.3M -tmpdir "$T/spill" -o "$T/sp-disk.bin" "$T/sp.txt" 2> "$T/sp-disk.err"
check "without a budget the id stream stays in memory" grep -q 'id stream is in memory' "$T/sp-mem.err"
check "under -memory 4.3M the id stream spills" grep -q "in an unlinked temporary file in $T/spill" "$T/sp-disk.err"
check "spilled and in-memory streams give identical vectors" cmp -s "$T/sp-mem.bin" "$T/sp-disk.bin"
check "the spill file is gone" sh -c "test -z \"\$(ls -A '$T/spill')\""
expect_exit 1 "^w2v: $T/nodir: cannot create the id stream's spill file: No such file or directory$" \
    "missing spill directory" $W2V train $sq -memory 4.3M -tmpdir "$T/nodir" -o "$T/sp-x.bin" "$T/sp.txt"
expect_exit 1 "^w2v: TMPDIR $T/nodir: cannot create the id stream's spill file: No such file or directory$" \
    "missing \$TMPDIR for the spill" sh -c "TMPDIR='$T/nodir' exec $W2V train $sq -memory 4.3M -o '$T/sp-x.bin' '$T/sp.txt'"
expect_exit 1 "^w2v: $T/spill: cannot write the id stream's spill file: File too large$" \
    "spill beyond the file size limit" sh -c "ulimit -f 64; exec $W2V train $sq -memory 4.3M -tmpdir '$T/spill' -o '$T/sp-x.bin' '$T/sp.txt'"
if mount -t tmpfs -o size=64k tmpfs "$T/spill" 2> /dev/null; then
    expect_exit 1 "^w2v: $T/spill: cannot write the id stream's spill file: No space left on device$" \
        "full spill directory" $W2V train $sq -memory 4.3M -tmpdir "$T/spill" -o "$T/sp-x.bin" "$T/sp.txt"
    check "a full spill directory is left empty" sh -c "test -z \"\$(ls -A '$T/spill')\""
    umount "$T/spill"
    mount -t tmpfs -o ro,size=64k tmpfs "$T/spill"
    expect_exit 1 "^w2v: $T/spill: cannot create the id stream's spill file: Read-only file system$" \
        "unwritable spill directory" $W2V train $sq -memory 4.3M -tmpdir "$T/spill" -o "$T/sp-x.bin" "$T/sp.txt"
    umount "$T/spill"
elif [ "$(id -u)" -ne 0 ]; then
    chmod 555 "$T/spill"
    expect_exit 1 "^w2v: $T/spill: cannot create the id stream's spill file: Permission denied$" \
        "unwritable spill directory" $W2V train $sq -memory 4.3M -tmpdir "$T/spill" -o "$T/sp-x.bin" "$T/sp.txt"
    chmod 755 "$T/spill"
fi
check "failed spills leave no output" sh -c "! ls '$T' | grep -q '^sp-x\\.bin'"
expect_exit 1 "^w2v: -memory 4\\.2 MiB is too small: the model of 2543 words x 100 dimensions needs" \
    "a model beyond -memory" $W2V train $sq -memory 4.2M -o "$T/sp-x.bin" "$T/sp.txt"
$W2V train -q -save-vocab "$T/sp.vocab" -o "$T/sp-v.bin" "$T/sp.txt"
expect_exit 1 "^w2v: -memory 5\\.0 MiB is too small: the model of 2543 words x 300 dimensions" \
    "with -read-vocab, a model beyond -memory fails before the corpus is read" \
    $W2V train -q -read-vocab "$T/sp.vocab" -size 300 -memory 5M -o "$T/sp-x.bin" "$T/nope.txt"

# Bounded counting: a long tail of words seen once fills the count table of a small budget;
# pruning drops them but keeps every word that reaches -min-count, with exact counts.
awk 'BEGIN { for (line = 0; line < 10; line++) { out = ""
        for (i = 0; i < 300; i++) out = out (i ? " " : "") "f" i
        print out }
    for (line = 0; line < 3000; line++) { out = ""
        for (i = 0; i < 30; i++) out = out "u" line "x" i " f" (line * 7 + i * 13) % 300 " "
        print out } }' > "$T/tail.txt"
tl="-threads 1 -seed 5 -size 10 -iter 1 -min-count 3"
$W2V train $tl -save-vocab "$T/tail-all.vocab" -o "$T/tail-all.bin" "$T/tail.txt" 2> "$T/tail-all.err"
$W2V train $tl -memory 8M -save-vocab "$T/tail-8m.vocab" -o "$T/tail-8m.bin" "$T/tail.txt" 2> "$T/tail-8m.err"
check "no pruning without a budget" sh -c "! grep -q 'warning: the vocabulary outgrew' '$T/tail-all.err'"
check "pruning under -memory 8M warns once" sh -c "test \$(grep -c 'warning: the vocabulary outgrew its share of -memory: [0-9]* distinct words counted fewer than [23] times were dropped' '$T/tail-8m.err') -eq 1"
check "pruning keeps every word reaching -min-count" cmp -s "$T/tail-all.vocab" "$T/tail-8m.vocab"
check "pruning keeps the vectors" cmp -s "$T/tail-all.bin" "$T/tail-8m.bin"
$W2V train $tl -min-count 1 -memory 8M -o "$T/tail-mc1.bin" "$T/tail.txt" 2> "$T/tail-mc1.err"
check "a budget too small for -min-count says so" grep -q 'cannot hold every word that reaches -min-count 1: ' "$T/tail-mc1.err"

# Each epoch goes out in pieces of about 10,000 positions (96,011 positions of words kept:
# 9 pieces), shuffled afresh each epoch unless -shuffle 0, each to the next free thread.
$W2V train -threads 2 -seed 5 -size 10 -iter 2 -min-count 3 -v -o "$T/tail-2t.bin" "$T/tail.txt" 2> "$T/tail-2t.err"
check "-v tells how the text goes out" grep -q 'order: each epoch goes out in 9 pieces of about 10667 words, in a random order (-shuffle), each to the next thread that is free' "$T/tail-2t.err"
$W2V train $tl -v -o "$T/tail-1t.bin" "$T/tail.txt" 2> "$T/tail-1t.err"
$W2V train $tl -v -shuffle 0 -o "$T/tail-1t0.bin" "$T/tail.txt" 2> "$T/tail-1t0.err"
$W2V train $tl -q -shuffle 1 -o "$T/tail-1t1.bin" "$T/tail.txt"
check "-shuffle 0 takes the pieces in the text's order" grep -q 'in the text.s order, each to the next' "$T/tail-1t0.err"
check "-shuffle 1 is the default" cmp -s "$T/tail-1t.bin" "$T/tail-1t1.bin"
check "-shuffle 0 trains on another order" sh -c "! cmp -s '$T/tail-1t.bin' '$T/tail-1t0.bin'"
check "one thread keeps no copies" sh -c "! grep -q 'own copy' '$T/tail-1t.err'"
check "two threads copy the frequent words' rows, no tree nodes without -hs" sh -c "grep -q 'threads: each keeps its own copy of the rows of the [0-9]* most frequent words (' '$T/tail-2t.err'"

# Threads' copies on a small vocabulary (206 words, a share of the rows each): the merges must keep
# training where one thread takes it. Merged too seldom, the sum of four threads' changes
# to the same rows overshot: the last loss rose to twice one thread's, or training stopped
# as diverged.
GENCORPUS=${GENCORPUS:-build/gencorpus}
"$GENCORPUS" 50000 1 > "$T/small.txt"
final_loss() { sed -n 's/.*done:.* loss \([0-9.]*\)$/\1/p' "$1"; }
sm="-size 8 -iter 1 -hs -seed 1 -v"
$W2V train $sm -threads 1 -o "$T/small-1t.bin" "$T/small.txt" 2> "$T/small-1t.err"
$W2V train $sm -threads 4 -o "$T/small-4t.bin" "$T/small.txt" 2> "$T/small-4t.err"
$W2V train $sm -threads 8 -o "$T/small-8t.bin" "$T/small.txt" 2> "$T/small-8t.err"
l1=$(final_loss "$T/small-1t.err") l4=$(final_loss "$T/small-4t.err") l8=$(final_loss "$T/small-8t.err")
check "four threads on 206 words end near one thread's loss ($l4 against $l1)" \
    awk -v a="$l4" -v b="$l1" 'BEGIN { exit !(a != "" && b != "" && a < 1.15 * b) }'
check "eight threads on 206 words end near one thread's loss ($l8 against $l1)" \
    awk -v a="$l8" -v b="$l1" 'BEGIN { exit !(a != "" && b != "" && a < 1.15 * b) }'
check "with -hs the threads also copy the tree nodes nearest the root" grep -q 'most frequent words and of as many tree nodes nearest the root' "$T/small-4t.err"
check "-v names the merge tiers" grep -q 'merged into the model every 625 words (all)' "$T/small-4t.err"
check "the threads' copies together hold no more rows than the model (206 / 8)" \
    grep -q 'rows of the 25 most frequent words' "$T/small-8t.err"

# Memory with many threads: each thread's part is counted and named, the copies shrink to
# fit -memory (and the default -memory follows ulimit -v), and a bound too small for the
# threads says so.
$W2V train -size 20 -iter 1 -threads 300 -o "$T/many.bin" "$T/small.txt" 2> "$T/many.err"
check "300 threads on a small corpus train" test -s "$T/many.bin"
check "the memory line counts the threads" grep -q 'memory: .* 300 training threads [0-9.]* KiB each' "$T/many.err"
"$GENCORPUS" 20000 7 | awk '{ for (i = 1; i <= NF; i++) printf "%s%d ", $i, NR % 700; print "" }' \
    > "$T/wide.txt"
$W2V train -size 50 -iter 1 -threads 4 -min-count 5 -memory 8M -o "$T/fit.bin" "$T/wide.txt" \
    2> "$T/fit.err"
check "copies shrink to fit -memory" grep -q 'each training thread copies only [0-9]* of the frequent words' "$T/fit.err"
check "a run whose copies shrank trains" test -s "$T/fit.bin"
expect_exit 1 "or use fewer -threads \(1000, " "a -memory too small for the threads names -threads" \
    $W2V train -q -size 20 -iter 1 -threads 1000 -memory 12M -o "$T/few.bin" "$T/small.txt"
if [ -z "${W2V_SANITIZED:-}" ]; then
    check "under ulimit -v, sixteen threads fit" sh -c "ulimit -v 200000; exec $W2V train -q \
        -size 50 -iter 1 -threads 16 -min-count 1 -o '$T/uv.bin' '$T/wide.txt'"
fi
