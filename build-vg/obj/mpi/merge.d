build-vg/obj/mpi/merge.o: src/mpi/merge.c src/mpi/merge.h \
 src/text/corpus.h src/text/idstream.h src/base/log.h src/base/strindex.h \
 src/base/w2v.h src/text/vocab.h src/mpi/dist.h
src/mpi/merge.h:
src/text/corpus.h:
src/text/idstream.h:
src/base/log.h:
src/base/strindex.h:
src/base/w2v.h:
src/text/vocab.h:
src/mpi/dist.h:
