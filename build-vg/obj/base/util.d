build-vg/obj/base/util.o: src/base/util.c src/base/util.h src/base/log.h \
 src/base/w2v.h
src/base/util.h:
src/base/log.h:
src/base/w2v.h:
