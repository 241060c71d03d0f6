# w2v build. 'make' builds ./w2v tuned for this machine (-march=native); 'make NATIVE=0'
# builds a portable binary; 'make MPI=1' builds it with mpicc for 'mpirun -np N w2v train'
# (objects in build-mpi/). Objects go to $(B) (build/ by default). See README.md.

MPI ?= 0
ifeq ($(MPI),1)
B ?= build-mpi
CC := mpicc
MPI_FLAGS := -DW2V_MPI
endif
B ?= build
NATIVE ?= 1
PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man

ARCH_1 := -march=native
ARCH_0 :=
CFLAGS ?= -O3 -g -ffp-contract=fast $(ARCH_$(NATIVE))
# WERROR=1 turns every warning into an error (CI builds so).
WERROR ?= 0
WERROR_1 := -Werror
WARN := -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wdouble-promotion -Wvla -pedantic $(WERROR_$(WERROR))
ALL_CFLAGS = $(WARN) $(CFLAGS) $(MPI_FLAGS) -pthread -MMD -MP
LDLIBS := -lz -lm -pthread

# src/ is grouped by stage, in the order of the data: base (logging, errors, clocks,
# strings), io (files in and out), text (text to word ids), train (ids to a model), query
# (vectors to answers), mpi (training as several processes; MPI only with MPI=1),
# pipeline (each command's run as one library call) and cli (options and messages).
# Includes name their folder ("text/vocab.h"); 'make layers' checks that none runs
# upward (tests/layers.sh has the order).
STAGES := base io text train query mpi pipeline
INC := -Isrc
LIB_SRC := $(foreach s,$(STAGES),$(wildcard src/$(s)/*.c))
CLI_SRC := $(filter-out src/cli/main.c,$(wildcard src/cli/*.c))
LIB_OBJ := $(LIB_SRC:src/%.c=$(B)/obj/%.o)
CLI_OBJ := $(CLI_SRC:src/%.c=$(B)/obj/%.o)
MAIN_OBJ := $(B)/obj/cli/main.o
UNIT_SRC := $(wildcard tests/unit/*/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
UNIT_FIXTURE := tests/unit/fixture.c
FUZZ_TARGETS := corpus vocab vectors eval
FUZZ_REPLAY := $(FUZZ_TARGETS:%=$(B)/fuzz/replay_%)

SAN_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all


.PHONY: all w2v test test-mpi check unit sanitize tsan valgrind lint layers bench demo fuzz install \
	uninstall clean

all: w2v

ifneq ($(filter build build-mpi,$(B)),)
w2v: $(B)/w2v
	cp $(B)/w2v w2v
else
w2v: $(B)/w2v
endif

$(B)/libw2v.a: $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

# The commands without main(), so that the tests can call their option parsers.
$(B)/libw2vcli.a: $(CLI_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/w2v: $(MAIN_OBJ) $(B)/libw2vcli.a $(B)/libw2v.a
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $(MAIN_OBJ) $(B)/libw2vcli.a $(B)/libw2v.a $(LDLIBS)

$(B)/obj/%.o: src/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INC) -c -o $@ $<

# Unit tests mirror src/: tests/unit/FOLDER/test_MODULE.c, with the shared fixtures of
# tests/unit (harness.h, fixture.h).
$(B)/tests/%: tests/unit/%.c $(UNIT_FIXTURE) $(B)/libw2vcli.a $(B)/libw2v.a
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(INC) -Itests/unit $(LDFLAGS) -o $@ $< $(UNIT_FIXTURE) \
		$(B)/libw2vcli.a $(B)/libw2v.a $(LDLIBS)

# Each fuzz target linked with a plain main() that replays its seed files (no libFuzzer).
$(B)/fuzz/replay_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h $(B)/libw2v.a | $(B)/fuzz
	$(CC) $(ALL_CFLAGS) $(INC) -Itests/fuzz $(LDFLAGS) -o $@ tests/fuzz/fuzz_$*.c \
		tests/fuzz/replay.c $(B)/libw2v.a $(LDLIBS)

$(B) $(B)/fuzz:
	mkdir -p $@

# The generator of the demo's synthetic corpus (not part of w2v itself).
$(B)/gencorpus: data/gencorpus.c | $(B)
	$(CC) $(ALL_CFLAGS) -o $@ $<

# Builds w2v, trains on a generated corpus and asks two questions.
demo: all $(B)/gencorpus
	mkdir -p demo-out
	$(B)/gencorpus 150000 1 > demo-out/corpus.txt
	./w2v train -size 50 -iter 5 -o demo-out/vectors.bin demo-out/corpus.txt
	@echo
	@echo '$$ w2v analogy -m demo-out/vectors.bin -k 3 king man woman'
	@./w2v analogy -m demo-out/vectors.bin -k 3 king man woman
	@echo '$$ w2v similar -m demo-out/vectors.bin -k 5 paris'
	@./w2v similar -m demo-out/vectors.bin -k 5 paris

unit: $(UNIT_BIN) $(FUZZ_REPLAY)

# The whole suite: unit binaries, then the command-line scripts, one closing tally line.
test: all unit $(B)/gencorpus
	sh tests/run.sh $(B)

check: test

# The suite with MPI (tests/cli/mpi.sh then runs jobs under mpirun).
test-mpi:
	$(MAKE) MPI=1 B=build-mpi test

# The same suite built with AddressSanitizer and UndefinedBehaviorSanitizer.
sanitize:
	W2V_SANITIZED=1 $(MAKE) B=build-san CFLAGS="$(SAN_FLAGS)" \
		LDFLAGS="-fsanitize=address,undefined" test

# Coverage-guided fuzzing with clang's libFuzzer (a developer tool; CI replays the seeds
# through the ordinary build instead). FUZZ_TIME seconds per target; new inputs are kept
# in build-fuzz/corpus-TARGET, crashes in build-fuzz/.
FUZZ_CC ?= clang
FUZZ_TIME ?= 600
FUZZ_FLAGS := -std=c11 -D_POSIX_C_SOURCE=200809L -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all $(INC) -Itests/fuzz -pthread
fuzz:
	mkdir -p build-fuzz
	for t in $(FUZZ_TARGETS); do \
		$(FUZZ_CC) $(FUZZ_FLAGS) -o build-fuzz/fuzz_$$t tests/fuzz/fuzz_$$t.c $(LIB_SRC) -lz -lm \
			|| exit 1; \
	done
	for t in $(FUZZ_TARGETS); do \
		mkdir -p build-fuzz/corpus-$$t; \
		build-fuzz/fuzz_$$t -max_total_time=$(FUZZ_TIME) -artifact_prefix=build-fuzz/$$t- \
			build-fuzz/corpus-$$t tests/fuzz/seeds/$$t || exit 1; \
	done

# A small train and queries under valgrind's memcheck (no sanitizers, -O1): any error or
# leak fails.
VALGRIND := valgrind --quiet --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=all
valgrind:
	$(MAKE) B=build-valgrind CFLAGS="-O1 -g" build-valgrind/w2v build-valgrind/gencorpus
	mkdir -p build-valgrind/run
	build-valgrind/gencorpus 3000 1 > build-valgrind/run/corpus.txt
	$(VALGRIND) build-valgrind/w2v train -q -threads 2 -size 20 -iter 1 -hs \
		-o build-valgrind/run/v.bin build-valgrind/run/corpus.txt
	$(VALGRIND) build-valgrind/w2v train -q -threads 1 -cbow -size 20 -iter 1 \
		-o build-valgrind/run/v.txt.gz build-valgrind/run/corpus.txt
	$(VALGRIND) build-valgrind/w2v analogy -m build-valgrind/run/v.bin king man woman
	printf 'king man woman\nnosuch a b\n' | $(VALGRIND) build-valgrind/w2v analogy \
		-m build-valgrind/run/v.txt.gz > /dev/null; test $$? -eq 1
	printf ': s\nman king woman queen\n' > build-valgrind/run/q.txt
	$(VALGRIND) build-valgrind/w2v eval analogy -m build-valgrind/run/v.bin build-valgrind/run/q.txt
	@echo "valgrind: clean"

# Multi-threaded training and evaluation under ThreadSanitizer; the deliberate Hogwild
# races of the update kernels are suppressed by name in tests/tsan.supp, any other race
# fails. The run is kept small: every suppressed race still goes through TSan's report
# path, which searches the addresses it has seen, so a larger model slows it down sharply.
tsan:
	$(MAKE) B=build-tsan CFLAGS="-O1 -g -fsanitize=thread" LDFLAGS=-fsanitize=thread \
		build-tsan/w2v build-tsan/gencorpus build-tsan/tests/train/test_train
	mkdir -p build-tsan/run
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1 exitcode=66" \
		build-tsan/tests/train/test_train
	build-tsan/gencorpus 50000 1 > build-tsan/run/corpus.txt
	TSAN_OPTIONS="suppressions=$(CURDIR)/tests/tsan.supp halt_on_error=1 exitcode=66" \
		build-tsan/w2v train -q -threads 4 -size 8 -iter 1 -hs -o build-tsan/run/v.bin \
		build-tsan/run/corpus.txt
	printf ': s\nman king woman queen\nman woman king queen\n' > build-tsan/run/q.txt
	TSAN_OPTIONS="halt_on_error=1 exitcode=66" build-tsan/w2v eval analogy -threads 4 \
		-m build-tsan/run/v.bin build-tsan/run/q.txt
	@echo "tsan: no race outside the Hogwild kernels"

# Static checks (developer tools, not needed by the build): cppcheck and clang-tidy with
# the checked-in .clang-tidy must report nothing in src/.
lint:
	cppcheck --enable=warning,style,performance,portability --std=c11 --quiet --inline-suppr \
		--error-exitcode=1 -D_POSIX_C_SOURCE=200809L $(INC) src/
	clang-tidy --quiet --warnings-as-errors='*' src/*/*.c -- -std=c11 -D_POSIX_C_SOURCE=200809L $(INC)
	@echo "lint: clean"

# Fails when a file includes a header of a later stage (tests/layers.sh).
layers:
	sh tests/layers.sh

install: w2v
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1
	install -m 755 w2v $(DESTDIR)$(BINDIR)/w2v
	install -m 644 man/w2v.1 $(DESTDIR)$(MANDIR)/man1/w2v.1

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/w2v $(DESTDIR)$(MANDIR)/man1/w2v.1

# Benchmarks on the shared corpus (not part of test): see tests/bench.sh.
CORPUS ?= ../shared/corpora/text8like.gz
bench: all
	sh tests/bench.sh $(CORPUS)

clean:
	rm -rf build build-* w2v demo-out

-include $(LIB_OBJ:.o=.d) $(CLI_OBJ:.o=.d) $(MAIN_OBJ:.o=.d)
