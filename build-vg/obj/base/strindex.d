build-vg/obj/base/strindex.o: src/base/strindex.c src/base/strindex.h \
 src/base/util.h src/base/log.h
src/base/strindex.h:
src/base/util.h:
src/base/log.h:
