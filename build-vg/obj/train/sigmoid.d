build-vg/obj/train/sigmoid.o: src/train/sigmoid.c src/train/sigmoid.h
src/train/sigmoid.h:
