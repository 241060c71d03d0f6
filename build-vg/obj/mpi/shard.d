build-vg/obj/mpi/shard.o: src/mpi/shard.c src/mpi/shard.h \
 src/text/corpus.h src/text/idstream.h src/base/log.h src/base/strindex.h \
 src/base/w2v.h src/text/vocab.h src/mpi/dist.h src/io/input.h \
 src/base/util.h
src/mpi/shard.h:
src/text/corpus.h:
src/text/idstream.h:
src/base/log.h:
src/base/strindex.h:
src/base/w2v.h:
src/text/vocab.h:
src/mpi/dist.h:
src/io/input.h:
src/base/util.h:
