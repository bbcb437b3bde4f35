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

# clang and its libFuzzer runtime (libclang-rt-14-dev: Debian 12's clang) for the fuzz pass,
# valgrind for memcheck: about 66 MB to download, 340 MB installed.
DEB_PKGS = libyaml-dev libcjson-dev libsqlite3-dev libcmocka-dev gnuplot-nox pkg-config \
	clang libclang-rt-14-dev valgrind
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

.PHONY: all deps test check demo bench install install-data clean calib-report bench-deps fuzz fuzz-short memcheck
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

build/san/tests/test_fuzz_regress: tests/unit/test_fuzz_regress.c tests/fuzz/targets.c tests/fuzz/targets.h $(SAN_LIB_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(SAN) -I. $(PKG_CFLAGS) -o $@ $< tests/fuzz/targets.c $(SAN_LIB_OBJ) $(PKG_LIBS) -lcmocka

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

# After the sanitizer tests: the fuzz pass and valgrind on the demo's
# commands, whose builds (clang+libFuzzer, release) run two at a time.
check: build/san/rehearse $(UNIT_BIN)
	@sh tests/run.sh build/san
	@$(MAKE) --no-print-directory -j2 $(FUZZ_BIN) build/fuzz/corpus/.stamp rehearse
	@$(MAKE) --no-print-directory fuzz-short memcheck

# valgrind --error-exitcode=1 --leak-check=full on the demo's commands, on
# the release build (valgrind cannot run a sanitizer build).
memcheck: rehearse
	@sh tests/memcheck.sh ./rehearse

demo: deps
	@$(MAKE) --no-print-directory rehearse
	@sh scenarios/demo.sh ./rehearse

bench: bench-deps
	@$(MAKE) --no-print-directory rehearse build/bench
	@sh bench/run.sh

calib-report: deps
	@$(MAKE) --no-print-directory rehearse
	./rehearse model --calib-report $${SHARED:-../shared}/calib/h100.jsonl

# Coverage-guided fuzzing (clang's libFuzzer): one binary per target of
# tests/fuzz/targets.h -- the loader and every lint rule, fix (its output
# re-loads and lints without new errors), the scenario loader, simulate
# (an event budget) -- over a seed corpus from tests/, scenarios/ and
# ../shared. `make fuzz` runs each for FUZZ_SECONDS; `make test` runs a
# short bounded pass (fuzz-short: FUZZ_SHORT_RUNS inputs each, fixed seed).
# An input that breaks a target goes to tests/fuzz/regress/TARGET/, which
# test_fuzz_regress replays in every `make test`.
FUZZ_TARGETS = load fix scenario simulate
FUZZ_SECONDS ?= 120
FUZZ_SHORT_RUNS ?= 8000
FUZZ_CC  = clang
FUZZ_SAN = -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LIB_OBJ = $(LIB_SRC:%.c=build/fuzz/%.o) build/fuzz/tests/fuzz/targets.o
FUZZ_BIN = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)
.SECONDARY: $(FUZZ_LIB_OBJ) # objects, not intermediates: kept between runs

build/fuzz/%.o: %.c $(wildcard */*.h) tests/fuzz/targets.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer-no-link -I. $(PKG_CFLAGS) -c -o $@ $<

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_LIB_OBJ)
	$(FUZZ_CC) $(WARN) $(FUZZ_SAN) -fsanitize=fuzzer -I. $(PKG_CFLAGS) -o $@ $< $(FUZZ_LIB_OBJ) $(PKG_LIBS)

# Seed corpora: workflows for load/fix/simulate, scenarios for scenario.
build/fuzz/corpus/.stamp: $(wildcard tests/rules/*/*.yaml tests/data/*.yaml scenarios/*.yaml)
	@rm -rf build/fuzz/corpus && mkdir -p build/fuzz/corpus/wf build/fuzz/corpus/scenario
	@for f in tests/rules/*/*.yaml tests/data/*.yaml scenarios/fine-tune-llama.yaml \
	    $(SHARED_DIR)/seed/*.yaml $(SHARED_DIR)/corpus/argo-examples/*.yaml; do \
		[ -f "$$f" ] && cp "$$f" "build/fuzz/corpus/wf/$$(echo "$$f" | tr / _ | sed 's/^[._]*//')"; done; true
	@cp scenarios/gke-*.yaml build/fuzz/corpus/scenario/
	@touch $@

fuzz: deps
	@$(MAKE) --no-print-directory $(FUZZ_BIN) build/fuzz/corpus/.stamp
	@for t in $(FUZZ_TARGETS); do c=wf; [ $$t = scenario ] && c=scenario; \
		mkdir -p build/fuzz/found/$$t; echo "fuzz: $$t for $(FUZZ_SECONDS) s"; \
		./build/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=4096 \
			-artifact_prefix=build/fuzz/found/$$t/ build/fuzz/corpus/$$c || exit 1; done

fuzz-short: $(FUZZ_BIN) build/fuzz/corpus/.stamp
	@for t in $(FUZZ_TARGETS); do c=wf; [ $$t = scenario ] && c=scenario; \
		mkdir -p build/fuzz/found/$$t; rm -rf build/fuzz/short/$$t; mkdir -p build/fuzz/short/$$t; \
		if ./build/fuzz/fuzz_$$t -runs=$(FUZZ_SHORT_RUNS) -seed=1 -max_len=16384 -timeout=10 -rss_limit_mb=4096 \
			-max_total_time=30 -artifact_prefix=build/fuzz/found/$$t/ build/fuzz/short/$$t build/fuzz/corpus/$$c \
			>build/fuzz/$$t.log 2>&1; then echo "ok    fuzz-short $$t ($$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' build/fuzz/$$t.log))"; \
		else echo "FAIL  fuzz-short $$t (inputs in build/fuzz/found/$$t)"; tail -30 build/fuzz/$$t.log; exit 1; fi; done

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
