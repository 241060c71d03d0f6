# demo.sh: the demo's promise on a smaller generated corpus: trained with one thread and a
# fixed seed, king - man + woman is queen, by both analogy methods, and capitals and verb
# tenses come out right too.
. "$(dirname "$0")/lib.sh"
GENCORPUS=${GENCORPUS:-build/gencorpus}

"$GENCORPUS" 20000 1 > "$T/corpus.txt"
check "generator writes a corpus" test "$(wc -w < "$T/corpus.txt")" -gt 100000
check "generator is deterministic" sh -c "'$GENCORPUS' 20000 1 | cmp -s - '$T/corpus.txt'"
check "demo training succeeds" $W2V train -q -threads 1 -seed 1 -size 30 -iter 5 \
    -o "$T/v.bin" "$T/corpus.txt"
check "king - man + woman = queen (3CosAdd)" sh -c \
    "$W2V analogy -m '$T/v.bin' -k 1 king man woman | cut -f1 | grep -qx queen"
check "king - man + woman = queen (3CosMul)" sh -c \
    "$W2V analogy -m '$T/v.bin' -k 1 -method mul king man woman | cut -f1 | grep -qx queen"
check "france - paris + tokyo = japan" sh -c \
    "$W2V analogy -m '$T/v.bin' -k 1 france paris tokyo | cut -f1 | grep -qx japan"
check "walks - walked + swam = swims" sh -c \
    "$W2V analogy -m '$T/v.bin' -k 1 walks walked swam | cut -f1 | grep -qx swims"
