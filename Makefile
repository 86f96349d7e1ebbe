# Rivulet — the two commands: `make run` and `make test`. A thin layer over meson.
BUILD ?= build
ASAN_BUILD ?= build-asan
PORT ?= 6543
DATA_DIR ?= ./rivulet-data

.PHONY: all deps test-deps build run test test-asan test-valgrind build-check ci fuzz bench bench-expr bench-ingest bench-ivm bench-nexmark bench-state clean

all: build

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

$(BUILD)/build.ninja:
	meson setup $(BUILD) --buildtype=debugoptimized

build: deps $(BUILD)/build.ninja
	ninja -C $(BUILD)

run: build
	@echo "rivulet: connect with: psql -h 127.0.0.1 -p $(PORT) -U $${USER:-postgres} dev"
	exec $(BUILD)/server/rivulet --port $(PORT) --data-dir $(DATA_DIR)

test: test-deps $(BUILD)/build.ninja
	ninja -C $(BUILD)
	scripts/test.sh $(BUILD)

$(ASAN_BUILD)/build.ninja:
	meson setup $(ASAN_BUILD) --buildtype=debug -Db_sanitize=address,undefined -Db_lundef=false

# The whole suite again under AddressSanitizer + UndefinedBehaviorSanitizer.
test-asan: test-deps $(ASAN_BUILD)/build.ninja
	ninja -C $(ASAN_BUILD)
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
		scripts/test.sh $(ASAN_BUILD)

# The Check unit tests under Valgrind: any leak or memory error fails (CK_FORK=no keeps each
# suite in one process so Valgrind sees it whole).
test-valgrind: test-deps $(BUILD)/build.ninja
	ninja -C $(BUILD)
	CK_FORK=no RV_TEST_SMALL=1 meson test -C $(BUILD) --suite unit --print-errorlogs \
		--num-processes 2 --timeout-multiplier 3 \
		--wrap='valgrind --quiet --leak-check=full --show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect --error-exitcode=99'

# libFuzzer over the wire decoder (clang; FUZZ_SECONDS per target). See tests/fuzz/README.md.
FUZZ_SECONDS ?= 60
fuzz: test-deps
	[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz -Dfuzzing=true
	ninja -C build-fuzz tests/fuzz/fuzz_wire
	mkdir -p build-fuzz/corpus-wire && cp -n tests/fuzz/corpus/wire/* build-fuzz/corpus-wire/
	build-fuzz/tests/fuzz/fuzz_wire -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-dict=tests/fuzz/wire.dict build-fuzz/corpus-wire

# Benchmarks print figures; they never run in make test.
bench: build
	bench/wire/pgbench.sh --build $(BUILD)

# Expression evaluator vs PostgreSQL 15 in rows/s, 10M generated rows (bench/expr/run.sh).
bench-expr: build
	bench/expr/run.sh $(BUILD)

# Durable COPY of 10M rows and single-row INSERT latency vs PostgreSQL 15 (bench/ingest/run.sh).
bench-ingest: build
	bench/ingest/run.sh --build $(BUILD)

# Materialized views: throughput under 10M changes, freshness vs REFRESH on PostgreSQL 15.
bench-ivm: build
	/usr/bin/python3 bench/ivm/ivm_bench.py --build $(BUILD)

# Nexmark q0-q22, q101-q106 as views: events/s, per busy core, CPU%, FLUSH p99, peak RSS, beside
# the published figures and issue 6's goals (bench/nexmark/README.md). NEXMARK_ARGS="--events
# 1000000 --queries q0,q5 --mode copy" narrows a run.
NEXMARK_ARGS ?=
bench-nexmark: build
	/usr/bin/python3 bench/nexmark/nexmark_bench.py --build $(BUILD) $(NEXMARK_ARGS)

# State size and memory over 100M Nexmark events for a windowed aggregate and an interval join,
# on a release build (bench/state/README.md). STATE_ARGS="--events 5000000" shortens a run.
STATE_ARGS ?=
bench-state: deps
	[ -f build-rel/build.ninja ] || meson setup build-rel --buildtype=release
	ninja -C build-rel server/rivulet
	-/usr/bin/python3 bench/state/state_curve.py --build build-rel --query agg $(STATE_ARGS)
	/usr/bin/python3 bench/state/state_curve.py --build build-rel --query ijoin $(STATE_ARGS)

# Compile-only checks that -Werror holds at -O3 (more flow warnings) and under clang.
build-check: test-deps
	[ -f build-rel/build.ninja ] || meson setup build-rel --buildtype=release
	ninja -C build-rel
	[ -f build-clang/build.ninja ] || CC=clang meson setup build-clang
	ninja -C build-clang

# What CI runs (.ci/run): the suite, then again under ASan+UBSan, then the unit tests under Valgrind.
ci: test test-asan test-valgrind build-check

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) build-rel build-clang build-fuzz
