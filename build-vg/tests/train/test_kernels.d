build-vg/tests/train/test_kernels: tests/unit/fixture.c \
 tests/unit/fixture.h src/base/log.h src/text/idstream.h src/text/vocab.h \
 src/base/strindex.h src/train/model.h src/train/huffman.h \
 src/base/progress.h src/train/sampler.h src/base/rng.h \
 src/train/sigmoid.h src/text/corpus.h src/base/w2v.h
tests/unit/fixture.h:
src/base/log.h:
src/text/idstream.h:
src/text/vocab.h:
src/base/strindex.h:
src/train/model.h:
src/train/huffman.h:
src/base/progress.h:
src/train/sampler.h:
src/base/rng.h:
src/train/sigmoid.h:
src/text/corpus.h:
src/base/w2v.h:
