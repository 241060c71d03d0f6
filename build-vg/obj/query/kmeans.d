build-vg/obj/query/kmeans.o: src/query/kmeans.c src/query/kmeans.h \
 src/base/log.h src/io/outfile.h src/base/rng.h src/base/sig.h \
 src/base/util.h src/base/vec.h
src/query/kmeans.h:
src/base/log.h:
src/io/outfile.h:
src/base/rng.h:
src/base/sig.h:
src/base/util.h:
src/base/vec.h:
