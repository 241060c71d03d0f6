build-portable/gencorpus: data/gencorpus.c
