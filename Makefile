# BL-1 in Go. `make check` is what CI runs (via .ci/run).
GO      ?= go
BENCH   ?= .
COUNT   ?= 1

.PHONY: all build test lint cover bench bench-cli fuzz check clean

all: build

build:
	$(GO) build -o bin/bl1 ./cmd/bl1

test:
	$(GO) test ./...

# gofmt + go vet + staticcheck (pinned in go.mod with the tool directive).
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) tool staticcheck ./...

cover:
	$(GO) test -coverprofile=cover.out ./...
	$(GO) tool cover -func=cover.out | tail -n 1

# Go benchmarks: engine speed (realtime factor, ns per neuron-step and per
# synaptic event, allocations), culture build, kernels. Compare runs with
# `go tool benchstat old.txt new.txt` (COUNT=10 for statistics).
bench:
	$(GO) test -run '^$$' -bench '$(BENCH)' -count $(COUNT) ./...

# The CLI benchmark table (bench.json) at the issue's sizes.
bench-cli: build
	./bin/bl1 bench -sizes 1000,10000,100000 -duration 2

# A short fuzz of every parser.
fuzz:
	$(GO) test ./configs -run '^$$' -fuzz FuzzParse -fuzztime 30s

check: lint test

clean:
	rm -rf bin cover.out bench.json
