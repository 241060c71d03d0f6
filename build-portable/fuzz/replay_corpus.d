build-portable/fuzz/replay_corpus: tests/fuzz/replay.c tests/fuzz/fuzz.h
tests/fuzz/fuzz.h:
