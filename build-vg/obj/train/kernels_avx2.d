build-vg/obj/train/kernels_avx2.o: src/train/kernels_avx2.c \
 src/train/kernels.h src/base/simd.h src/train/update.h src/base/log.h \
 src/base/rng.h src/train/model.h src/train/huffman.h src/base/strindex.h \
 src/base/progress.h src/train/sampler.h src/train/sigmoid.h \
 src/train/kernels_body.h
src/train/kernels.h:
src/base/simd.h:
src/train/update.h:
src/base/log.h:
src/base/rng.h:
src/train/model.h:
src/train/huffman.h:
src/base/strindex.h:
src/base/progress.h:
src/train/sampler.h:
src/train/sigmoid.h:
src/train/kernels_body.h:
