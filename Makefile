# BL-1 in Go. `make check` is what CI runs (via .ci/run).
GO      ?= go
BENCH   ?= .
COUNT   ?= 1

.PHONY: all build test lint cover bench bench-cli fuzz loadtest check clean

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
	$(GO) test ./cl1 -run '^$$' -fuzz FuzzDecode -fuzztime 30s

# The virtual CL1's load test: 100,000 stims from a loopback trainer at
# doom-neuron's high-rate recipe (about 12 minutes); loadtest.json.
loadtest: build
	./bin/bl1 cl1 -o runs/loadtest -loadtest 100000 -tick-frequency 240 -artifact-wait-ms 0 -collect-window-ms 4

check: lint test

clean:
	rm -rf bin cover.out bench.json
