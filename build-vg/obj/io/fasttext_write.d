build-vg/obj/io/fasttext_write.o: src/io/fasttext_write.c \
 src/io/fasttext.h src/base/log.h src/base/strindex.h src/base/endian.h \
 src/base/util.h src/io/outfile.h
src/io/fasttext.h:
src/base/log.h:
src/base/strindex.h:
src/base/endian.h:
src/base/util.h:
src/io/outfile.h:
