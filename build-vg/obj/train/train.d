build-vg/obj/train/train.o: src/train/train.c src/train/train.h \
 src/train/checkpoint.h src/base/log.h src/train/model.h \
 src/train/huffman.h src/base/strindex.h src/base/progress.h \
 src/train/sampler.h src/base/rng.h src/train/sigmoid.h src/text/vocab.h \
 src/text/idstream.h src/base/sig.h src/base/util.h src/train/replica.h \
 src/train/update.h src/train/watch.h src/train/worker.h \
 src/train/schedule.h
src/train/train.h:
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
src/text/idstream.h:
src/base/sig.h:
src/base/util.h:
src/train/replica.h:
src/train/update.h:
src/train/watch.h:
src/train/worker.h:
src/train/schedule.h:
