build-vg/obj/cli/cmd_classes.o: src/cli/cmd_classes.c src/cli/cmd.h \
 src/cli/report.h src/base/log.h src/query/embed.h src/base/strindex.h \
 src/io/vecfile.h src/io/input.h src/io/outfile.h src/query/kmeans.h \
 src/base/sig.h src/base/util.h src/base/w2v.h
src/cli/cmd.h:
src/cli/report.h:
src/base/log.h:
src/query/embed.h:
src/base/strindex.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
src/query/kmeans.h:
src/base/sig.h:
src/base/util.h:
src/base/w2v.h:
