build-vg/obj/base/progress.o: src/base/progress.c src/base/progress.h \
 src/base/log.h src/base/util.h
src/base/progress.h:
src/base/log.h:
src/base/util.h:
