build-vg/obj/pipeline/training_corpus.o: src/pipeline/training_corpus.c \
 src/base/progress.h src/base/utf8.h src/base/util.h src/base/log.h \
 src/base/w2v.h src/mpi/merge.h src/text/corpus.h src/text/idstream.h \
 src/base/strindex.h src/text/vocab.h src/mpi/dist.h \
 src/pipeline/training_parts.h src/io/outfile.h src/mpi/shard.h \
 src/mpi/sync.h src/train/model.h src/train/huffman.h src/train/sampler.h \
 src/base/rng.h src/train/sigmoid.h src/train/train.h \
 src/train/checkpoint.h src/pipeline/training.h
src/base/progress.h:
src/base/utf8.h:
src/base/util.h:
src/base/log.h:
src/base/w2v.h:
src/mpi/merge.h:
src/text/corpus.h:
src/text/idstream.h:
src/base/strindex.h:
src/text/vocab.h:
src/mpi/dist.h:
src/pipeline/training_parts.h:
src/io/outfile.h:
src/mpi/shard.h:
src/mpi/sync.h:
src/train/model.h:
src/train/huffman.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/train/train.h:
src/train/checkpoint.h:
src/pipeline/training.h:
