build-portable/obj/cli/main.o: src/cli/main.c src/cli/cmd.h \
 src/cli/report.h src/base/log.h src/mpi/dist.h src/base/w2v.h
src/cli/cmd.h:
src/cli/report.h:
src/base/log.h:
src/mpi/dist.h:
src/base/w2v.h:
