build-vg/obj/io/outfile.o: src/io/outfile.c src/io/outfile.h \
 src/base/log.h src/base/sig.h src/base/util.h
src/io/outfile.h:
src/base/log.h:
src/base/sig.h:
src/base/util.h:
