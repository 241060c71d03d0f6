build-vg/obj/train/sampler.o: src/train/sampler.c src/train/sampler.h \
 src/base/log.h src/base/rng.h src/base/util.h
src/train/sampler.h:
src/base/log.h:
src/base/rng.h:
src/base/util.h:
