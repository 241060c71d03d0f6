build-vg/obj/base/sig.o: src/base/sig.c src/base/sig.h
src/base/sig.h:
