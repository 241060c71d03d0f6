# kernels.sh: the kernel variants and -batch from the command line: -v names the variant,
# W2V_KERNELS forces one or is refused, every variant and -batch 0, 1 and 3 give
# byte-identical output run to run with -threads 1 and train differently, -batch takes
# 0 to 64 and is not used with -hs.
. "$(dirname "$0")/lib.sh"

awk 'BEGIN {
    n = split("the a of and to in is was he she it king queen man woman city river " \
              "north south east west red green blue one two three", w, " ")
    s = 4242
    for (line = 0; line < 300; line++) {
        out = ""
        for (i = 0; i < 12; i++) {
            s = (s * 1103515245 + 12345) % 2147483648
            out = out (i ? " " : "") w[1 + int(s / 65536) % n]
        }
        print out
    }
}' > "$T/c.txt"
base="-threads 1 -seed 3 -size 21 -min-count 1 -iter 2 -q"

expect_exit 0 "kernels: (base|avx2|avx512)" "-v names the kernels" \
    $W2V train -threads 1 -size 8 -iter 1 -v -o "$T/v.bin" "$T/c.txt"
expect_exit 1 "W2V_KERNELS: kernels 'sse9': unknown" "an unknown W2V_KERNELS is refused" \
    env W2V_KERNELS=sse9 $W2V train $base -o "$T/x.bin" "$T/c.txt"
check "a refused W2V_KERNELS leaves no output" test ! -e "$T/x.bin"
expect_exit 2 "-batch: " "-batch 65 is a usage error" $W2V train -batch 65 "$T/c.txt"
expect_exit 2 "-batch: " "-batch -1 is a usage error" $W2V train -batch -1 "$T/c.txt"
expect_exit 0 "batch 64\$" "-batch 64 is taken" \
    $W2V train $base -batch 64 -cbow -v -o "$T/d.bin" "$T/c.txt"
for kind in "" "-cbow"; do
    $W2V train $base $kind -hs -batch 1 -o "$T/hs1.bin" "$T/c.txt"
    $W2V train $base $kind -hs -batch 4 -o "$T/hs4.bin" "$T/c.txt"
    check "-batch is not used with -hs ${kind:-(skip-gram)}" cmp -s "$T/hs1.bin" "$T/hs4.bin"
done

for k in rule base avx2 avx512; do
    if ! W2V_KERNELS=$k $W2V train $base -o "$T/k.bin" "$T/c.txt" 2> "$T/k.err"; then
        if grep -q "not supported by this CPU" "$T/k.err"; then
            skip "$k kernels: not supported by this CPU"
        else
            fail "$k kernels: $(cat "$T/k.err")"
        fi
        continue
    fi
    for b in 0 1 3; do
        W2V_KERNELS=$k $W2V train $base -batch $b -o "$T/$k$b.1.bin" "$T/c.txt"
        W2V_KERNELS=$k $W2V train $base -batch $b -o "$T/$k$b.2.bin" "$T/c.txt"
        check "$k kernels, -batch $b: identical output run to run" \
            cmp -s "$T/$k$b.1.bin" "$T/$k$b.2.bin"
    done
    check "$k kernels: -batch 0 and 1 train differently" \
        sh -c "! cmp -s '$T/${k}0.1.bin' '$T/${k}1.1.bin'"
    check "$k kernels: -batch 1 and 3 train differently" \
        sh -c "! cmp -s '$T/${k}1.1.bin' '$T/${k}3.1.bin'"
done
