.PHONY: help build test example fuzz bench ci casegen

help: ## list the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

# The binary is built with Go's SIMD experiment: the picker then looks over
# each sign-in with AVX2 (internal/ingest/fast_scan_simd.go; a CPU without
# AVX2 takes the word-at-a-time look). A plain `go build` works too.
build: ## build the idtriage binary into ./bin (GOEXPERIMENT=simd)
	GOEXPERIMENT=simd go build -o bin/idtriage ./cmd/idtriage

example: ## investigate the reference case
	go run ./cmd/idtriage investigate examples/sspr-takeover

test: ## run every test (the README's command)
	go test ./...

fuzz: ## fuzz the decoders for 60 s
	go test -run='^$$' -fuzz=FuzzDecode -fuzztime=60s ./internal/ingest

bench: ## benchmark the whole investigation of the example
	go test -run='^$$' -bench=. -benchmem ./cmd/idtriage

casegen: ## rebuild the example and fixture cases from tools/casegen
	go run ./tools/casegen

ci: ## what CI runs
	bash .ci/run
