build-vg/obj/text/vocab.o: src/text/vocab.c src/text/vocab.h \
 src/base/log.h src/base/strindex.h src/io/input.h src/io/outfile.h \
 src/base/util.h src/base/w2v.h
src/text/vocab.h:
src/base/log.h:
src/base/strindex.h:
src/io/input.h:
src/io/outfile.h:
src/base/util.h:
src/base/w2v.h:
