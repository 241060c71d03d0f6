build-vg/obj/io/fasttext.o: src/io/fasttext.c src/io/fasttext.h \
 src/base/log.h src/base/strindex.h src/base/endian.h src/base/util.h \
 src/io/input.h src/io/outfile.h
src/io/fasttext.h:
src/base/log.h:
src/base/strindex.h:
src/base/endian.h:
src/base/util.h:
src/io/input.h:
src/io/outfile.h:
