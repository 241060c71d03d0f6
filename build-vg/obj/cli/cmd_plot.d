build-vg/obj/cli/cmd_plot.o: src/cli/cmd_plot.c src/cli/cmd.h \
 src/cli/report.h src/base/log.h src/query/embed.h src/base/strindex.h \
 src/io/vecfile.h src/io/input.h src/io/outfile.h src/query/knn.h \
 src/query/pca.h src/query/plot.h src/base/util.h src/base/w2v.h
src/cli/cmd.h:
src/cli/report.h:
src/base/log.h:
src/query/embed.h:
src/base/strindex.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
src/query/knn.h:
src/query/pca.h:
src/query/plot.h:
src/base/util.h:
src/base/w2v.h:
