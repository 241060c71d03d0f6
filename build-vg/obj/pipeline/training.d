build-vg/obj/pipeline/training.o: src/pipeline/training.c src/base/sig.h \
 src/base/simd.h src/base/util.h src/base/log.h src/io/vecfile.h \
 src/io/input.h src/io/outfile.h src/base/strindex.h \
 src/pipeline/training_parts.h src/mpi/dist.h src/mpi/shard.h \
 src/text/corpus.h src/text/idstream.h src/base/w2v.h src/text/vocab.h \
 src/mpi/sync.h src/train/model.h src/train/huffman.h src/base/progress.h \
 src/train/sampler.h src/base/rng.h src/train/sigmoid.h src/train/train.h \
 src/train/checkpoint.h src/pipeline/training.h src/train/update.h
src/base/sig.h:
src/base/simd.h:
src/base/util.h:
src/base/log.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
src/base/strindex.h:
src/pipeline/training_parts.h:
src/mpi/dist.h:
src/mpi/shard.h:
src/text/corpus.h:
src/text/idstream.h:
src/base/w2v.h:
src/text/vocab.h:
src/mpi/sync.h:
src/train/model.h:
src/train/huffman.h:
src/base/progress.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/train/train.h:
src/train/checkpoint.h:
src/pipeline/training.h:
src/train/update.h:
