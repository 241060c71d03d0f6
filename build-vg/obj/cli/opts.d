build-vg/obj/cli/opts.o: src/cli/opts.c src/cli/opts.h src/base/log.h \
 src/pipeline/training.h src/mpi/dist.h src/train/model.h \
 src/train/huffman.h src/base/strindex.h src/base/progress.h \
 src/train/sampler.h src/base/rng.h src/train/sigmoid.h src/base/util.h \
 src/io/vecfile.h src/io/input.h src/io/outfile.h
src/cli/opts.h:
src/base/log.h:
src/pipeline/training.h:
src/mpi/dist.h:
src/train/model.h:
src/train/huffman.h:
src/base/strindex.h:
src/base/progress.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/base/util.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
