build-vg/obj/cli/cmd_query.o: src/cli/cmd_query.c src/cli/cmd.h \
 src/query/embed.h src/base/log.h src/base/strindex.h src/io/vecfile.h \
 src/io/input.h src/io/outfile.h src/query/knn.h src/cli/qopts.h \
 src/base/util.h src/base/vec.h src/base/w2v.h
src/cli/cmd.h:
src/query/embed.h:
src/base/log.h:
src/base/strindex.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
src/query/knn.h:
src/cli/qopts.h:
src/base/util.h:
src/base/vec.h:
src/base/w2v.h:
