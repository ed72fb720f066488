# unpause developer entry points. The Prefect bits live in scripts/ (see each script's header).
GO ?= go
ARGS ?=

.PHONY: all build test lint demo demo-stop bench

all: build

## build: compile the unpause binary into ./unpause
build:
	$(GO) build -o unpause .

## test: unit + integration tests (starts and stops a throwaway Prefect server); extra go test args via ARGS="..."
test:
	scripts/test $(ARGS)

## lint: golangci-lint (staticcheck, errcheck, errorlint, revive, ...; gofumpt and goimports); installs it on first use
lint:
	scripts/lint

## demo: a Prefect server with example flows waiting for input, then `unpause list`
demo:
	scripts/demo

## demo-stop: stop the demo flows and server
demo-stop:
	scripts/demo stop

## bench: Go benchmarks, then on real servers: `unpause list` vs bare HTTP vs the prefect CLI on
## 1,000 seeded runs, the live inbox (latency, idle requests, a burst), and serve's memory per session
bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
	scripts/bench-list
	scripts/bench-live
	scripts/bench-serve
