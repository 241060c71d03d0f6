build-vg/obj/cli/cmd_eval.o: src/cli/cmd_eval.c src/cli/cmd.h \
 src/cli/report.h src/base/log.h src/query/eval.h src/query/embed.h \
 src/base/strindex.h src/io/vecfile.h src/io/input.h src/io/outfile.h \
 src/cli/qopts.h src/base/w2v.h
src/cli/cmd.h:
src/cli/report.h:
src/base/log.h:
src/query/eval.h:
src/query/embed.h:
src/base/strindex.h:
src/io/vecfile.h:
src/io/input.h:
src/io/outfile.h:
src/cli/qopts.h:
src/base/w2v.h:
