# outputs.sh: what a command leaves when it dies. SIGKILL at any moment of a run (reading,
# training, writing a checkpoint or the vectors) leaves no temporary file and the previous
# outputs whole.
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
