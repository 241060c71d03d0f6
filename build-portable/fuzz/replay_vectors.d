build-portable/fuzz/replay_vectors: tests/fuzz/replay.c tests/fuzz/fuzz.h
tests/fuzz/fuzz.h:
