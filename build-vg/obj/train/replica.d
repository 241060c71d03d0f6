build-vg/obj/train/replica.o: src/train/replica.c src/train/replica.h \
 src/base/log.h src/train/model.h src/train/huffman.h src/base/strindex.h \
 src/base/progress.h src/train/sampler.h src/base/rng.h \
 src/train/sigmoid.h src/train/update.h src/base/util.h
src/train/replica.h:
src/base/log.h:
src/train/model.h:
src/train/huffman.h:
src/base/strindex.h:
src/base/progress.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/train/update.h:
src/base/util.h:
