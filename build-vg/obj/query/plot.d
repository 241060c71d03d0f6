build-vg/obj/query/plot.o: src/query/plot.c src/query/plot.h \
 src/base/log.h src/io/outfile.h src/base/util.h
src/query/plot.h:
src/base/log.h:
src/io/outfile.h:
src/base/util.h:
