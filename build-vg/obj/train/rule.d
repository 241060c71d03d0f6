build-vg/obj/train/rule.o: src/train/rule.c src/train/rule.h \
 src/train/update.h src/base/log.h src/base/rng.h src/train/model.h \
 src/train/huffman.h src/base/strindex.h src/base/progress.h \
 src/train/sampler.h src/train/sigmoid.h
src/train/rule.h:
src/train/update.h:
src/base/log.h:
src/base/rng.h:
src/train/model.h:
src/train/huffman.h:
src/base/strindex.h:
src/base/progress.h:
src/train/sampler.h:
src/train/sigmoid.h:
