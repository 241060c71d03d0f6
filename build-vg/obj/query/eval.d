build-vg/obj/query/eval.o: src/query/eval.c src/query/eval.h \
 src/query/embed.h src/base/log.h src/base/strindex.h src/io/vecfile.h \
 src/io/input.h src/io/outfile.h src/query/knn.h src/base/utf8.h \
 src/base/util.h
src/query/eval.h:
src/query/embed.h:
src/base/log.h:
src/base/strindex.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
src/query/knn.h:
src/base/utf8.h:
src/base/util.h:
