# progress.sh: progress lines in a log (stderr not a terminal). A short run prints only its
# summaries; a stage that lasts past the quiet time (5 s, PROGRESS_QUIET_SEC) prints
# progress lines. The pacing itself is tested on a fake clock in tests/unit/base.
. "$(dirname "$0")/lib.sh"

awk 'BEGIN { srand(7); for (i = 0; i < 200000; i++)
    printf "w%d%s", int(rand() * rand() * 500), (i % 12 == 11) ? "\n" : " " }' > "$T/c.txt"

# Lines of a progress display (any stage), and the summary lines a run keeps.
shown='^w2v: (progress|reading|writing|setting up|counting) '

$W2V train -min-count 1 -iter 2 -size 20 -threads 1 -o "$T/v.bin" "$T/c.txt" 2> "$T/train.err"
check "a short training run prints no progress line to a file" \
    sh -c "! grep -Eq '$shown' '$T/train.err'"
check "... but its summaries: read, memory, done" sh -c \
    "grep -q '^w2v: read ' '$T/train.err' && grep -q '^w2v: memory: ' '$T/train.err' &&
     grep -q '^w2v: done: ' '$T/train.err'"
$W2V phrases -o "$T/p.txt" "$T/c.txt" 2> "$T/phrases.err"
check "a short phrases run prints no progress line to a file" \
    sh -c "! grep -Eq '$shown' '$T/phrases.err'"
check "... but its summaries: counted, done" sh -c \
    "grep -q '^w2v: counted ' '$T/phrases.err' && grep -q '^w2v: done: ' '$T/phrases.err'"

# A reading stage that lasts past the quiet time: the input arrives in two halves, 6 s
# apart, through a pipe (unknown size). Both commands wait at once.
slow() { cat "$T/c.txt"; sleep 6; cat "$T/c.txt"; }
slow | $W2V train -min-count 1 -iter 1 -size 10 -threads 1 -o "$T/v2.bin" - \
    2> "$T/slow_train.err" &
train_pid=$!
slow | $W2V phrases -o "$T/p2.txt" - 2> "$T/slow_phrases.err" &
phrases_pid=$!
wait $train_pid
wait $phrases_pid
check "a slow reading pass prints its progress to a file" \
    grep -Eq '^w2v: reading standard input: [0-9.]+ [KMG]?i?B read, ' "$T/slow_train.err"
check "a slow phrases pass prints its progress to a file" \
    grep -Eq '^w2v: counting [0-9.]+ [KMG]?i?B read  [0-9]+ s$' "$T/slow_phrases.err"
check "progress lines of a log are whole lines (no carriage return)" \
    sh -c "! grep -q \"\$(printf '\\r')\" '$T/slow_train.err' '$T/slow_phrases.err'"
