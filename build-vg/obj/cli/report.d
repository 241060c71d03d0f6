build-vg/obj/cli/report.o: src/cli/report.c src/cli/report.h \
 src/base/log.h src/base/sig.h src/base/w2v.h
src/cli/report.h:
src/base/log.h:
src/base/sig.h:
src/base/w2v.h:
