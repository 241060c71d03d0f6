build-vg/obj/query/embed.o: src/query/embed.c src/query/embed.h \
 src/base/log.h src/base/strindex.h src/io/vecfile.h src/io/input.h \
 src/io/outfile.h src/base/mapguard.h src/base/util.h src/base/vec.h
src/query/embed.h:
src/base/log.h:
src/base/strindex.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
src/base/mapguard.h:
src/base/util.h:
src/base/vec.h:
