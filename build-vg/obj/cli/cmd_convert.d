build-vg/obj/cli/cmd_convert.o: src/cli/cmd_convert.c src/cli/cmd.h \
 src/cli/report.h src/base/log.h src/io/input.h src/io/outfile.h \
 src/base/sig.h src/base/strindex.h src/base/util.h src/io/vecfile.h \
 src/base/w2v.h
src/cli/cmd.h:
src/cli/report.h:
src/base/log.h:
src/io/input.h:
src/io/outfile.h:
src/base/sig.h:
src/base/strindex.h:
src/base/util.h:
src/io/vecfile.h:
src/base/w2v.h:
