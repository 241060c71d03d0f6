build-vg/obj/cli/cmd_phrases.o: src/cli/cmd_phrases.c src/cli/cmd.h \
 src/cli/report.h src/base/log.h src/io/outfile.h src/text/phrases.h \
 src/base/progress.h src/base/sig.h src/base/util.h src/base/w2v.h
src/cli/cmd.h:
src/cli/report.h:
src/base/log.h:
src/io/outfile.h:
src/text/phrases.h:
src/base/progress.h:
src/base/sig.h:
src/base/util.h:
src/base/w2v.h:
