build-vg/obj/mpi/sync.o: src/mpi/sync.c src/mpi/sync.h src/mpi/dist.h \
 src/base/log.h src/train/model.h src/train/huffman.h src/base/strindex.h \
 src/base/progress.h src/train/sampler.h src/base/rng.h \
 src/train/sigmoid.h src/train/train.h src/train/checkpoint.h \
 src/text/vocab.h src/text/idstream.h src/base/util.h
src/mpi/sync.h:
src/mpi/dist.h:
src/base/log.h:
src/train/model.h:
src/train/huffman.h:
src/base/strindex.h:
src/base/progress.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/train/train.h:
src/train/checkpoint.h:
src/text/vocab.h:
src/text/idstream.h:
src/base/util.h:
