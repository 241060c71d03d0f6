build-vg/obj/io/input.o: src/io/input.c src/io/input.h src/base/log.h \
 src/base/sig.h src/base/util.h
src/io/input.h:
src/base/log.h:
src/base/sig.h:
src/base/util.h:
