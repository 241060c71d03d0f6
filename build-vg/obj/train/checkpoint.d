build-vg/obj/train/checkpoint.o: src/train/checkpoint.c \
 src/train/checkpoint.h src/base/log.h src/train/model.h \
 src/train/huffman.h src/base/strindex.h src/base/progress.h \
 src/train/sampler.h src/base/rng.h src/train/sigmoid.h src/text/vocab.h \
 src/io/input.h src/io/outfile.h src/base/util.h
src/train/checkpoint.h:
src/base/log.h:
src/train/model.h:
src/train/huffman.h:
src/base/strindex.h:
src/base/progress.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/text/vocab.h:
src/io/input.h:
src/io/outfile.h:
src/base/util.h:
