build-clang/gencorpus: data/gencorpus.c
