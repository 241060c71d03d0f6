# outputs.sh: what a command leaves when it dies and when its reader goes away. SIGKILL at
# any moment of a run (reading, training, writing a checkpoint or the vectors) leaves no
# temporary file and the previous outputs whole; a command whose standard output is closed
# early ('| head -1') exits with 141 and says nothing, while a closed named pipe given as
# the output is still reported.
. "$(dirname "$0")/lib.sh"
cd "$T" || exit 1

# 11.7k distinct words in 480k tokens: a model of 9 MiB at -size 100 and 11 MiB of text
# vectors, so that writing a checkpoint or the vectors takes a while.
awk 'BEGIN { s = 7; for (line = 0; line < 40000; line++) { out = ""
    for (i = 0; i < 12; i++) { s = (s * 1103515245 + 12345) % 2147483648
        out = out (i ? " " : "") "w" int(s / 65536) }
    print out } }' > c.txt
head -n 50 c.txt > few.txt

# --- SIGKILL ------------------------------------------------------------------------------
# A finished run's outputs (one thread: every run of these settings writes the same files).
run="$W2V train -q -threads 1 -size 100 -iter 2 -min-count 1 -o v.txt -save-model m.model"
$run c.txt
cp v.txt v.old
cp m.model m.old

# A model file is whole if -init loads it (its checksum covers every byte).
model_whole() {
    $W2V train -q -threads 1 -iter 1 -init m.model -o /dev/null few.txt
}

# Kills a run, rewriting its model file every 0.03 s, after each of these delays (seconds):
# from the reading pass to the writing of the vectors. Where the file system has no unnamed
# files (O_TMPFILE, probed with python3 when it is there), a kill while writing may leave a
# named temporary file, as documented: the check is skipped.
if command -v python3 > /dev/null &&
    ! python3 -c "import os; os.close(os.open('.', os.O_TMPFILE | os.O_WRONLY, 0o600))" \
        2> /dev/null; then
    skip "SIGKILL leaves no temporary file (no O_TMPFILE here)"
    delays=
else
    delays="0.05 0.15 0.3 0.5 0.8"
fi
for delay in $delays; do
    $run -checkpoint 0.0005 c.txt 2> /dev/null &
    pid=$!
    sleep $delay
    kill -KILL $pid 2> /dev/null
    wait $pid 2> /dev/null
    left=$(ls -a | grep '\.tmp\.' | tr '\n' ' ')
    check "SIGKILL after ${delay} s leaves no temporary file ($left)" test -z "$left"
    check "... the vectors as they were" cmp -s v.txt v.old
    check "... a whole model file" model_whole
done

# --- standard output closed early -----------------------------------------------------------
# 50000 words of 4 dimensions (1.5 MB of text), for outputs far beyond a pipe's buffer.
awk 'BEGIN { for (i = 0; i < 50000; i++) printf "%sw%d %d.5 %d %d.25 1\n",
    i ? "" : "50000 4\n", i, i % 7, i % 5 - 2, i % 3 }' > big.vec
$W2V convert big.vec big.bin
$W2V convert -limit 1000 big.bin small.bin
awk 'BEGIN { for (i = 0; i < 50000; i++) print "w" i, "w" (i + 1) }' > pairs.txt
awk 'BEGIN { for (s = 0; s < 3000; s++) {
    printf ": section-with-a-long-name-to-make-the-output-larger-%d\n", s
    print "w1 w2 w3 w4" } }' > questions.txt
printf 'w1 w2 0.5\nw3 w4 0.7\nw5 w6 0.1\n' > sim.txt
many=$(awk 'BEGIN { for (i = 0; i < 3000; i++) printf "sim.txt " }')
plotted=$(awk 'BEGIN { for (i = 0; i < 5; i++) printf "w%d ", i * 11 }')

# piped DESC COMMAND: runs COMMAND (a shell command) with its standard output into
# 'head -1', which exits after the first line, and expects status 141 and nothing on
# stderr: with SIGPIPE as the shell leaves it, and with SIGPIPE ignored (as some parents
# leave it), when the write fails with EPIPE instead.
piped() {
    desc=$1
    for how in default ignored; do
        case $how in default) pre="" ;; ignored) pre="trap '' PIPE;" ;; esac
        { sh -c "$pre exec $2" 2> pipe.err; echo $? > pipe.rc; } | head -n 1 > /dev/null
        rc=$(cat pipe.rc)
        if [ "$rc" = 141 ] && [ ! -s pipe.err ]; then
            pass "$desc | head -1 ($how SIGPIPE)"
        else
            fail "$desc | head -1 ($how SIGPIPE): exit $rc, stderr: $(head -c 300 pipe.err)"
        fi
    done
}
piped "train -o -" "$W2V train -q -threads 1 -size 20 -iter 1 -min-count 1 -o - c.txt"
piped "train -save-vocab -" \
    "$W2V train -q -threads 1 -size 4 -iter 1 -min-count 1 -save-vocab - -o v4.bin c.txt"
piped "phrases" "$W2V phrases -q c.txt"
piped "convert to -" "$W2V convert big.bin -"
piped "classes -o -" "$W2V classes -q -k 2 -m big.bin"
piped "plot -o -" "$W2V plot -q -m big.bin -o - -neighbours 99 $plotted"
piped "similar" "$W2V similar -m big.bin -k 50000 w1"
piped "analogy" "$W2V analogy -m big.bin -k 50000 w1 w2 w3"
piped "similarity from standard input" "$W2V similarity -m big.bin < pairs.txt"
piped "similar from standard input" "$W2V similar -m big.bin -k 200 < pairs.txt"
piped "eval analogy" "$W2V eval analogy -m big.bin questions.txt"
piped "eval similarity" "$W2V eval similarity -m small.bin $many"
check "no temporary file left by the closed pipes" sh -c "! ls -a | grep -q '\\.tmp\\.'"
check "... nor the output beside the closed pipe" test ! -e v4.bin

# A named pipe given as the output whose reader goes away is a failure to report.
mkfifo fifo
head -c 1 fifo > /dev/null &
reader=$!
expect_exit 141 "^w2v: interrupted by signal 13" "a closed named pipe as the output is reported" \
    $W2V convert big.bin fifo
kill $reader 2> /dev/null
wait $reader 2> /dev/null
