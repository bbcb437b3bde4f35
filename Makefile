# rehearse: offline linter, simulator and planner for Argo torchrun workflows.
#
#   make            build ./rehearse (release flags)
#   make deps       install missing Debian packages (as root), else print the command
#   make test       build under ASan+UBSan and run unit (cmocka) and end-to-end tests
#   make demo       lint, model and simulate the bundled seed workflow
#   make bench      speed targets, printed as ratios against their baselines
#   make install    PREFIX=/usr/local
#
# Sources are found by wildcard: a new module is a new .c/.h pair in its folder.

PREFIX  ?= /usr/local
DATADIR ?= $(PREFIX)/share/rehearse
SHARED_DIR ?= $(or $(SHARED),../shared)
CC      ?= cc
PKGS     = yaml-0.1 libcjson sqlite3
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS))
PKG_LIBS   = $(shell pkg-config --libs $(PKGS)) -lm
WARN     = -std=c17 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CFLAGS  ?= -O2 -g
SAN      = -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

DEB_PKGS = libyaml-dev libcjson-dev libsqlite3-dev libcmocka-dev gnuplot-nox pkg-config
BENCH_DEB_PKGS = yamllint
# The HTML report's browser test (tests/e2e/t0730) runs where Chromium is
# installed and is skipped, saying so, where it is not: `make test` does
# not install it (a large download for CI); `make test-browser` does.
BROWSER_DEB_PKGS = chromium

LIB_SRC  = $(wildcard document/*.c model/*.c sim/*.c validate/*.c reports/*.c)
CLI_SRC  = $(wildcard cli/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)

REL_LIB_OBJ = $(LIB_SRC:%.c=build/rel/%.o)
REL_CLI_OBJ = $(CLI_SRC:%.c=build/rel/%.o)
SAN_LIB_OBJ = $(LIB_SRC:%.c=build/san/%.o)
SAN_CLI_OBJ = $(CLI_SRC:%.c=build/san/%.o)
UNIT_BIN    = $(UNIT_SRC:tests/unit/%.c=build/san/tests/%)
BENCH_SRC   = $(wildcard bench/*.c)
BENCH_BIN   = $(BENCH_SRC:bench/%.c=build/bench/%)

.PHONY: all deps test check demo bench install install-data clean calib-report bench-deps fuzz
.DEFAULT_GOAL := all

all: rehearse

rehearse: $(REL_LIB_OBJ) $(REL_CLI_OBJ)
	$(CC) $(CFLAGS) -o $@ $^ $(PKG_LIBS)

build/rel/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $(EXTRA) -I. $(PKG_CFLAGS) -c -o $@ $<

build/san/%.o: %.c $(wildcard */*.h)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) $(EXTRA) -I. $(PKG_CFLAGS) -c -o $@ $<

# The installed data directory, known to the binary (cli/datadir.c).
build/rel/cli/datadir.o build/san/cli/datadir.o: EXTRA = -DREHEARSE_DATADIR='"$(DATADIR)"'

build/san/rehearse: $(SAN_LIB_OBJ) $(SAN_CLI_OBJ)
	$(CC) $(SAN) -o $@ $^ $(PKG_LIBS)

build/san/tests/%: tests/unit/%.c $(SAN_LIB_OBJ) tests/unit/testutil.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -I. $(PKG_CFLAGS) -o $@ $< $(SAN_LIB_OBJ) $(PKG_LIBS) -lcmocka

# Benchmarks: each bench/NAME.c is one program build/bench/NAME, built with
# release flags against the library; bench/run.sh runs them all.
.PHONY: build/bench
build/bench: $(BENCH_BIN)

build/bench/%: bench/%.c $(REL_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -I. $(PKG_CFLAGS) -o $@ $< $(REL_LIB_OBJ) $(PKG_LIBS)

# deps: every target a user runs first depends on this, so a fresh Debian
# machine needs nothing but `make test` or `make demo`.
deps:
	@DEB_PKGS="$(DEB_PKGS)" sh tests/deps.sh

bench-deps:
	@DEB_PKGS="$(DEB_PKGS) $(BENCH_DEB_PKGS)" sh tests/deps.sh

# The plots and HTML report end to end, Chromium installed first.
test-browser:
	@DEB_PKGS="$(DEB_PKGS) $(BROWSER_DEB_PKGS)" sh tests/deps.sh
	@$(MAKE) --no-print-directory build/san/rehearse
	@t=$$(mktemp -d) && REHEARSE=$$(pwd)/build/san/rehearse SHARED=$${SHARED:-$$(cd ../shared 2>/dev/null && pwd || echo /work/shared)} \
	  TMPDIR=$$t sh tests/e2e/t0730-plots-html.sh; rc=$$?; rm -rf $$t; exit $$rc

# Recursive make so that pkg-config runs after deps installed the packages.
test: deps
	@$(MAKE) --no-print-directory check

check: build/san/rehearse $(UNIT_BIN)
	@sh tests/run.sh build/san

demo: deps
	@$(MAKE) --no-print-directory rehearse
	@sh scenarios/demo.sh ./rehearse

bench: bench-deps
	@$(MAKE) --no-print-directory rehearse build/bench
	@sh bench/run.sh

calib-report: deps
	@$(MAKE) --no-print-directory rehearse
	./rehearse model --calib-report $${SHARED:-../shared}/calib/h100.jsonl

# Coverage-guided fuzzing of the loader and every rule (clang's libFuzzer);
# runs for FUZZ_SECONDS on a corpus of the seed and Argo's examples.
FUZZ_SECONDS ?= 120
build/fuzz/fuzz_load: tests/fuzz/fuzz_load.c $(LIB_SRC) $(wildcard */*.h)
	@mkdir -p $(dir $@)
	clang $(WARN) -g -O1 -fsanitize=fuzzer,address,undefined -I. $(PKG_CFLAGS) -o $@ tests/fuzz/fuzz_load.c $(LIB_SRC) $(PKG_LIBS)

fuzz: deps
	@$(MAKE) --no-print-directory build/fuzz/fuzz_load
	@mkdir -p build/fuzz/corpus && cp ../shared/seed/*.yaml build/fuzz/corpus/ 2>/dev/null; \
	 cp ../shared/corpus/argo-examples/*.yaml build/fuzz/corpus/ 2>/dev/null; \
	 ./build/fuzz/fuzz_load -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 build/fuzz/corpus

install: rehearse install-data
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 rehearse $(DESTDIR)$(PREFIX)/bin/rehearse

# What the binary reads at run time, in $(DATADIR): the bundled scenarios
# (and the seed workflow) and the calibration set from ../shared.
install-data:
	install -d $(DESTDIR)$(DATADIR)/scenarios $(DESTDIR)$(DATADIR)/calib
	install -m 644 scenarios/*.yaml $(DESTDIR)$(DATADIR)/scenarios/
	@if [ -f "$(SHARED_DIR)/calib/h100.jsonl" ]; then \
		install -m 644 "$(SHARED_DIR)/calib/h100.jsonl" $(DESTDIR)$(DATADIR)/calib/; \
	else echo "install: $(SHARED_DIR)/calib/h100.jsonl not found: rehearse model --calib-report will need a FILE" >&2; fi

clean:
	rm -rf build rehearse
