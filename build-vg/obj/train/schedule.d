build-vg/obj/train/schedule.o: src/train/schedule.c src/train/schedule.h \
 src/base/rng.h
src/train/schedule.h:
src/base/rng.h:
