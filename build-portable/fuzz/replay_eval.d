build-portable/fuzz/replay_eval: tests/fuzz/replay.c tests/fuzz/fuzz.h
tests/fuzz/fuzz.h:
