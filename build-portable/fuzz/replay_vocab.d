build-portable/fuzz/replay_vocab: tests/fuzz/replay.c tests/fuzz/fuzz.h
tests/fuzz/fuzz.h:
