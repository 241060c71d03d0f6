build-vg/obj/train/worker.o: src/train/worker.c src/train/worker.h \
 src/base/log.h src/text/idstream.h src/train/model.h src/train/huffman.h \
 src/base/strindex.h src/base/progress.h src/train/sampler.h \
 src/base/rng.h src/train/sigmoid.h src/train/schedule.h \
 src/train/update.h src/train/replica.h src/train/train.h \
 src/train/checkpoint.h src/text/vocab.h
src/train/worker.h:
src/base/log.h:
src/text/idstream.h:
src/train/model.h:
src/train/huffman.h:
src/base/strindex.h:
src/base/progress.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/train/schedule.h:
src/train/update.h:
src/train/replica.h:
src/train/train.h:
src/train/checkpoint.h:
src/text/vocab.h:
