build-vg/obj/cli/qopts.o: src/cli/qopts.c src/cli/qopts.h \
 src/query/embed.h src/base/log.h src/base/strindex.h src/io/vecfile.h \
 src/io/input.h src/io/outfile.h src/cli/report.h src/base/util.h \
 src/base/w2v.h
src/cli/qopts.h:
src/query/embed.h:
src/base/log.h:
src/base/strindex.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
src/cli/report.h:
src/base/util.h:
src/base/w2v.h:
