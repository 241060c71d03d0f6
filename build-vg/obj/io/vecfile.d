build-vg/obj/io/vecfile.o: src/io/vecfile.c src/io/vecfile.h \
 src/io/input.h src/base/log.h src/io/outfile.h src/base/strindex.h \
 src/base/utf8.h src/base/util.h src/base/vec.h src/base/w2v.h
src/io/vecfile.h:
src/io/input.h:
src/base/log.h:
src/io/outfile.h:
src/base/strindex.h:
src/base/utf8.h:
src/base/util.h:
src/base/vec.h:
src/base/w2v.h:
