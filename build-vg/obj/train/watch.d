build-vg/obj/train/watch.o: src/train/watch.c src/train/watch.h \
 src/base/log.h
src/train/watch.h:
src/base/log.h:
