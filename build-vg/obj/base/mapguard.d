build-vg/obj/base/mapguard.o: src/base/mapguard.c src/base/mapguard.h \
 src/base/w2v.h
src/base/mapguard.h:
src/base/w2v.h:
