build-vg/obj/query/knn.o: src/query/knn.c src/query/knn.h \
 src/query/embed.h src/base/log.h src/base/strindex.h src/io/vecfile.h \
 src/io/input.h src/io/outfile.h src/base/util.h src/base/vec.h
src/query/knn.h:
src/query/embed.h:
src/base/log.h:
src/base/strindex.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
src/base/util.h:
src/base/vec.h:
