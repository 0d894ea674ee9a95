# The two commands the README promises: `make test` and `make demo`. Every target installs
# missing dependencies first (Debian packages only, see scripts/install-deps.sh).

RELEASE_DIR ?= build/release
ASAN_DIR ?= build/asan
FUZZ_DIR ?= build/fuzz
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=

.PHONY: all deps build test test-release demo bench fuzz format check-format clean

all: build

deps:
	@scripts/install-deps.sh

# Optimised build: the CLI, benchmarks and demo use it.
build: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) > /dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS)

# Every test, built with AddressSanitizer and UndefinedBehaviorSanitizer.
test: deps
	@cmake -S . -B $(ASAN_DIR) -DCMAKE_BUILD_TYPE=Debug -DARCFLOW_SANITIZE=ON \
	  -DARCFLOW_BUILD_BENCH=OFF $(CMAKE_FLAGS) > /dev/null
	@cmake --build $(ASAN_DIR) -j $(JOBS)
	@cd $(ASAN_DIR) && ctest --output-on-failure -j $(JOBS)

# The same tests on the optimised build (faster; no sanitizers).
test-release: build
	@cd $(RELEASE_DIR) && ctest --output-on-failure -j $(JOBS)

# The demo needs only the CLI, so it builds that target alone.
demo: deps
	@cmake -S . -B $(RELEASE_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo $(CMAKE_FLAGS) > /dev/null
	@cmake --build $(RELEASE_DIR) -j $(JOBS) --target arcflow
	@scripts/demo.sh $(RELEASE_DIR)/tools/arcflow/arcflow

# Benchmarks on the optimised build; results as JSON in build/bench-results/.
bench: build
	@scripts/run-benchmarks.sh $(RELEASE_DIR)/bench build/bench-results

# libFuzzer targets (clang); `make fuzz FUZZ_SECONDS=60` runs each for that long.
FUZZ_SECONDS ?= 10
fuzz: deps
	@CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=Debug -DARCFLOW_BUILD_FUZZ=ON \
	  -DARCFLOW_BUILD_TESTS=OFF -DARCFLOW_BUILD_BENCH=OFF > /dev/null
	@cmake --build $(FUZZ_DIR) -j $(JOBS) --target arcflow_fuzzers
	@scripts/run-fuzzers.sh $(FUZZ_DIR)/tests/fuzz $(FUZZ_SECONDS)

format:
	@scripts/check-format.sh --fix

check-format:
	@scripts/check-format.sh

clean:
	rm -rf build
