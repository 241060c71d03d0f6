build-vg/obj/base/simd.o: src/base/simd.c src/base/simd.h
src/base/simd.h:
