build-vg/obj/text/corpus.o: src/text/corpus.c src/text/corpus.h \
 src/text/idstream.h src/base/log.h src/base/strindex.h src/base/w2v.h \
 src/text/vocab.h src/io/input.h src/base/sig.h src/base/util.h
src/text/corpus.h:
src/text/idstream.h:
src/base/log.h:
src/base/strindex.h:
src/base/w2v.h:
src/text/vocab.h:
src/io/input.h:
src/base/sig.h:
src/base/util.h:
