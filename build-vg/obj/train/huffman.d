build-vg/obj/train/huffman.o: src/train/huffman.c src/train/huffman.h \
 src/base/log.h src/base/util.h
src/train/huffman.h:
src/base/log.h:
src/base/util.h:
