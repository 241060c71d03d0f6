build-vg/obj/io/fasttext_ngrams.o: src/io/fasttext_ngrams.c \
 src/io/fasttext.h src/base/log.h src/base/strindex.h
src/io/fasttext.h:
src/base/log.h:
src/base/strindex.h:
