build-vg/obj/text/phrases.o: src/text/phrases.c src/text/phrases.h \
 src/base/log.h src/io/outfile.h src/text/corpus.h src/text/idstream.h \
 src/base/strindex.h src/base/w2v.h src/text/vocab.h src/io/input.h \
 src/base/sig.h src/base/util.h
src/text/phrases.h:
src/base/log.h:
src/io/outfile.h:
src/text/corpus.h:
src/text/idstream.h:
src/base/strindex.h:
src/base/w2v.h:
src/text/vocab.h:
src/io/input.h:
src/base/sig.h:
src/base/util.h:
