# BizOne: `make demo` and `make test` are the two commands a new machine needs.
# Both install the system packages they need (Debian 12) before building.

SHELL := /bin/bash
export SWIFT_DETERMINISTIC_HASHING := 1

SWIFT ?= swift
APT_PACKAGES := libsqlite3-dev libyaml-dev libcurl4-openssl-dev libssl-dev python3 python3-venv
## The tests' Python packages (a real SMTP server among them), in a venv of the project.
VENV := .venv
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
BIN := .build/debug/bizone
DEMO_STATE := .bizone/demo/state.db

.PHONY: all deps build test demo bench fuzz schemas clean

all: build

## Install missing Debian packages (only those not already installed).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

build: deps
	$(SWIFT) build

## Build everything including tests once, then run the tests without re-planning the build.
## Swift Testing only (no XCTest), and the exit code decides: the summary line can mislead.
## The CLI tests run the `bizone` built with them (next to the test bundle); set BIZONE_BIN
## only to test another binary on purpose.
test: deps $(VENV)/.installed
	$(SWIFT) build --build-tests
	BIZONE_TEST_PYTHON=$(CURDIR)/$(VENV)/bin/python $(SWIFT) test --skip-build

## The venv the tests run Python from (made again when the requirements change).
$(VENV)/.installed: scripts/test/requirements.txt
	@echo "Making the tests' Python venv ($(VENV)) from scripts/test/requirements.txt"
	rm -rf $(VENV)
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r scripts/test/requirements.txt
	touch $@

## The main job: validate pipelines/, plan, apply to a fresh state, check the integration
## against the Meta emulator with `bizone doctor`, print status (scripts/demo.sh).
demo: build $(VENV)/.installed
	BIN=$(BIN) PYTHON=$(CURDIR)/$(VENV)/bin/python scripts/demo.sh

## Benchmarks print figures; they assert nothing. Release build for meaningful numbers.
bench: deps
	@command -v wrk >/dev/null || { echo "Installing wrk"; $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product bizone-bench
	$(SWIFT) build -c release --product bizone
	.build/release/bizone-bench $(BENCH_ARGS)

## Fuzz every parser of outside input (JSON, webhook envelope and decoder, YAML loader, CSV
## reader) with libFuzzer for FUZZ_RUNS inputs each; prints the counts, fails on any crash.
## Release build with the fuzzer's instrumentation in its own scratch path.
FUZZ_RUNS ?= 1000000
fuzz: deps
	FUZZ=1 $(SWIFT) build -c release --product bizone-fuzz --scratch-path .build-fuzz
	scripts/fuzz.sh .build-fuzz/release/bizone-fuzz $(FUZZ_RUNS) json webhook yaml csv

## Regenerate schemas/ from the model (a test fails when they are stale).
schemas: build
	$(BIN) schema --out schemas

clean:
	rm -rf .build .bizone $(VENV)
