build-vg/obj/cli/cmd_train.o: src/cli/cmd_train.c src/base/util.h \
 src/base/log.h src/base/w2v.h src/cli/cmd.h src/cli/opts.h \
 src/pipeline/training.h src/mpi/dist.h src/train/model.h \
 src/train/huffman.h src/base/strindex.h src/base/progress.h \
 src/train/sampler.h src/base/rng.h src/train/sigmoid.h src/cli/report.h
src/base/util.h:
src/base/log.h:
src/base/w2v.h:
src/cli/cmd.h:
src/cli/opts.h:
src/pipeline/training.h:
src/mpi/dist.h:
src/train/model.h:
src/train/huffman.h:
src/base/strindex.h:
src/base/progress.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/cli/report.h:
