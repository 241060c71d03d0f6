# mpi.sh: training as several processes. Every build: one built without MPI refuses to
# run under an MPI launcher. A build with MPI (make MPI=1) and mpirun on the PATH: jobs of 2
# and 3 processes on a generated corpus given as one plain file, as several files and as
# gzip write the vocabulary of one process byte for byte and learn its planted analogies;
# a rank that fails stops the job with one error naming it and leaves no file.
. "$(dirname "$0")/lib.sh"
GENCORPUS=${GENCORPUS:-build/gencorpus}
printf 'a b c\na b\n' > "$T/tiny.txt"

if $W2V --version | grep -q '^MPI: no'; then
    # A launcher of 2 processes, faked through its variables: rank 0 tells, rank 1 is silent.
    expect_exit 1 "built without MPI.*make MPI=1" "a build without MPI refuses under a launcher" \
        env OMPI_COMM_WORLD_SIZE=2 OMPI_COMM_WORLD_RANK=0 $W2V train -o "$T/no.bin" "$T/tiny.txt"
    check "rank 1 of a launcher refuses silently" sh -c "! PMI_SIZE=2 PMI_RANK=1 $W2V train \
        -o '$T/no.bin' '$T/tiny.txt' 2> '$T/err' && test ! -s '$T/err'"
    check "a launcher of one process is fine" env OMPI_COMM_WORLD_SIZE=1 $W2V train -q \
        -min-count 1 -o "$T/one.bin" "$T/tiny.txt"
    check "no output when refused" test ! -e "$T/no.bin"
    exit 0
fi
command -v mpirun > /dev/null 2>&1 || { skip "no mpirun: MPI jobs not run"; exit 0; }
MPIRUN="mpirun --oversubscribe"
[ "$(id -u)" -eq 0 ] && MPIRUN="$MPIRUN --allow-run-as-root"

"$GENCORPUS" 20000 1 > "$T/c.txt"
gzip -c "$T/c.txt" > "$T/c.txt.gz"
# Three files cut at line ends, sizes 1:2:3 so that dealing them by size matters.
n=$(wc -l < "$T/c.txt")
head -n $((n / 6)) "$T/c.txt" > "$T/p1.txt"
tail -n +$((n / 6 + 1)) "$T/c.txt" | head -n $((n / 3)) > "$T/p2.txt"
tail -n +$((n / 6 + n / 3 + 1)) "$T/c.txt" > "$T/p3.txt"
gzip "$T/p1.txt" "$T/p2.txt"
set -- -q -threads 1 -seed 1 -size 30 -iter 5
$W2V train "$@" -save-vocab "$T/v1.txt" -o "$T/s.bin" "$T/c.txt"

planted() { # vectors -> succeeds when the demo's analogies come out
    $W2V analogy -m "$1" -k 1 king man woman | cut -f1 | grep -qx queen &&
        $W2V analogy -m "$1" -k 1 france paris tokyo | cut -f1 | grep -qx japan &&
        $W2V analogy -m "$1" -k 1 walks walked swam | cut -f1 | grep -qx swims
}
check "one process learns the planted analogies" planted "$T/s.bin"
for np in 2 3; do
    for input in plain files gzip; do
        case $input in
        plain) files="$T/c.txt" ;;
        files) files="$T/p1.txt.gz $T/p2.txt.gz $T/p3.txt" ;;
        gzip) files="$T/c.txt.gz" ;;
        esac
        rm -f "$T/v.txt" "$T/m.bin"
        # shellcheck disable=SC2086
        check "-np $np, $input: job succeeds" $MPIRUN -np $np $W2V train "$@" \
            -save-vocab "$T/v.txt" -o "$T/m.bin" $files
        check "-np $np, $input: vocabulary of one process" cmp -s "$T/v1.txt" "$T/v.txt"
        check "-np $np, $input: planted analogies learnt" planted "$T/m.bin"
    done
done
check "-read-vocab on every rank" $MPIRUN -np 2 $W2V train "$@" -read-vocab "$T/v1.txt" \
    -save-vocab "$T/v.txt" -o "$T/m.bin" "$T/c.txt"
check "-read-vocab: same vocabulary" cmp -s "$T/v1.txt" "$T/v.txt"

# Rank 1 is given a missing file: the job stops, rank 1 alone reports, no file is left.
mkdir "$T/job"
$MPIRUN -np 1 $W2V train "$@" -o "$T/job/f.bin" "$T/c.txt" : \
    -np 1 $W2V train "$@" -o "$T/job/f.bin" "$T/nope.txt" > "$T/job.log" 2> "$T/err"
rc=$?
check "a failing rank fails the job" test $rc -ne 0
check "the error names the rank and the reason" \
    grep -q "^w2v: rank 1: .*nope.txt: No such file or directory$" "$T/err"
check "one error line from w2v" test "$(grep -c '^w2v:' "$T/err")" -eq 1
check "no file left by a failed job" test -z "$(ls -A "$T/job")"
expect_exit 1 "standard input: a job of several processes cannot share it" \
    "standard input refused in a job" \
    sh -c "$MPIRUN -np 2 $W2V train -q -o '$T/job/f.bin' - < '$T/c.txt' 2>&1 >/dev/null |
        grep '^w2v:' >&2; exit 1"

# Subwords: the n-gram buckets are averaged like the words' rows, so an unseen misspelling
# lands beside the word it misspells.
check "-np 2 with subwords: job succeeds" $MPIRUN -np 2 $W2V train "$@" -minn 3 -maxn 5 \
    -bucket 5000 -o "$T/sw.bin" -save-fasttext "$T/sw.ft" "$T/c.txt"
check "-np 2 with subwords: planted analogies learnt" planted "$T/sw.bin"
check "-np 2 with subwords: an unseen misspelling is near its word" sh -c \
    "$W2V similar -m '$T/sw.ft' -k 1 kingg | grep -q '^king	'"
