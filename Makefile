# Rivulet — the two commands: `make run` and `make test`. A thin layer over meson.
BUILD ?= build
ASAN_BUILD ?= build-asan
PORT ?= 6543
DATA_DIR ?= ./rivulet-data

.PHONY: all deps test-deps build run test test-asan fuzz bench clean

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

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
