build-vg/obj/query/pca.o: src/query/pca.c src/query/pca.h src/base/log.h \
 src/base/util.h
src/query/pca.h:
src/base/log.h:
src/base/util.h:
