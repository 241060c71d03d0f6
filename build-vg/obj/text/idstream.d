build-vg/obj/text/idstream.o: src/text/idstream.c src/text/idstream.h \
 src/base/log.h src/base/util.h
src/text/idstream.h:
src/base/log.h:
src/base/util.h:
