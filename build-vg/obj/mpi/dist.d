build-vg/obj/mpi/dist.o: src/mpi/dist.c src/mpi/dist.h src/base/log.h \
 src/base/sig.h src/base/util.h
src/mpi/dist.h:
src/base/log.h:
src/base/sig.h:
src/base/util.h:
