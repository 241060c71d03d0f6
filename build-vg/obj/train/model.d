build-vg/obj/train/model.o: src/train/model.c src/train/model.h \
 src/train/huffman.h src/base/log.h src/base/strindex.h \
 src/base/progress.h src/train/sampler.h src/base/rng.h \
 src/train/sigmoid.h src/base/util.h src/io/fasttext.h
src/train/model.h:
src/train/huffman.h:
src/base/log.h:
src/base/strindex.h:
src/base/progress.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/base/util.h:
src/io/fasttext.h:
