# rbox's front door. `make` builds the static x86_64 binary at $(BIN); `make test` tests it.
X86     := x86_64-unknown-linux-musl
ARM     := aarch64-unknown-linux-musl
BIN     := target/$(X86)/release/rbox
BIN_ARM := target/$(ARM)/release/rbox
BIN_TINY:= target/tiny/$(X86)/release/rbox
PREFIX  ?= /usr/local
DESTDIR ?=
CARGO   ?= cargo
# A runner for a foreign binary (make rootfs BIN=... RUN=qemu-aarch64-static).
RUN     ?=
FEATURES ?=
FEAT    := $(if $(FEATURES),--no-default-features --features "$(FEATURES)",)
# The size tier: nightly std rebuilt with panics as bare aborts (see docs/ARCHITECTURE.md).
# Every crate at opt-level z, no Debug formatting bodies (-Zfmt-debug=none: nothing user-visible
# prints {:?}) and no panic locations: 1,726,248 -> 1,428,520 bytes at 180 applets.
# `--cfg rbox_tiny` lets code pick the smaller of two paths with the same behaviour.
TINY_FLAGS := --config 'target.$(X86).rustflags=["-Zunstable-options","-Cpanic=immediate-abort","-Cforce-unwind-tables=no","-Zfmt-debug=none","-Zlocation-detail=none","--cfg","rbox_tiny"]' \
              --config 'profile.release.opt-level="z"' --config 'profile.release.package."*".opt-level="z"' \
              -Zbuild-std=std,panic_abort -Zbuild-std-features=

.PHONY: all build static aarch64 tiny pie test test-aarch64 test-tiny test-single install rootfs \
        size size-check bench bench-aarch64 peers clean targets lint fuzz

all: build

targets:
	@rustup target list --installed | grep -q $(X86) || rustup target add $(X86)

build static: targets
	$(CARGO) build --release --target $(X86) $(FEAT)
	@echo "built $(BIN)"

aarch64:
	@rustup target list --installed | grep -q $(ARM) || rustup target add $(ARM)
	$(CARGO) build --release --target $(ARM) $(FEAT)
	@echo "built $(BIN_ARM)"

tiny:
	@rustup component list --toolchain nightly --installed | grep -q rust-src || \
		rustup component add rust-src --toolchain nightly
	@rustup target list --toolchain nightly --installed | grep -q $(X86) || \
		rustup target add $(X86) --toolchain nightly
	$(CARGO) +nightly build --release --target $(X86) --target-dir target/tiny $(TINY_FLAGS) $(FEAT)
	@echo "built $(BIN_TINY)"

# Static-PIE variant (ASLR, slower start-up), for comparison in `make bench`.
pie: targets
	$(CARGO) build --release --target $(X86) --target-dir target/pie \
		--config 'target.$(X86).rustflags=["-Crelocation-model=pie"]' $(FEAT)

# The README's test command: the whole suite against the static musl binary.
test: build
	$(CARGO) test --release --target $(X86)

# The same suite against the tiny tier, whose `rbox_tiny` paths (src/bytes.rs, the regex
# engine without prefilters) nothing else runs.
test-tiny: tiny
	RBOX_BIN=$(BIN_TINY) $(CARGO) test --release --target $(X86) --test it

test-aarch64: aarch64
	RBOX_BIN=$(BIN_ARM) RBOX_TEST_RUNNER=qemu-aarch64-static \
		$(CARGO) test --release --target $(X86) --test it
	# The aarch64 assembly (src/memfast.rs) against its guard-page unit tests, under qemu.
	$(CARGO) test --release --target $(ARM) --lib memfast

lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --release --target $(X86) --all-targets -- -D warnings

# Measuring (scripts/*.py, Python 3 stdlib; they install what they need on first use).
# Peers: Debian's busybox-static and BusyBox built on musl, cached under target/peers.
peers:
	python3 scripts/peers.py --arch x86_64
	python3 scripts/peers.py --arch aarch64

# Size table of both tiers and architectures against the peers, with the cost of each
# part; writes results/size.md.
size:
	python3 scripts/size.py report

# Fails when the x86_64 binaries outgrow size-budget.txt.
size-check:
	python3 scripts/size.py check

# rbox vs BusyBox (musl, Debian) vs GNU; writes results/bench-x86_64.{md,svg,json}.
# QUICK=1: small inputs and few runs, into results/tmp/ (what CI runs).
bench:
	python3 scripts/bench.py --arch x86_64 $(if $(filter 1,$(QUICK)),--quick,)

# The same under qemu-aarch64-static against the arm64 peers: timings are a rough proxy,
# instruction counts are the figures to read.
bench-aarch64:
	python3 scripts/bench.py --arch aarch64 $(if $(filter 1,$(QUICK)),--quick,)

# Fuzz the parsers (needs `cargo install cargo-fuzz` once and the nightly toolchain): new
# inputs collect in target/fuzz-corpus, the committed seed corpus stays as it is.
# FUZZ=dns_reply (default) names the target, FUZZ_TIME the seconds.
FUZZ ?= dns_reply
fuzz:
	mkdir -p target/fuzz-corpus/$(FUZZ)
	$(CARGO) +nightly fuzz run $(FUZZ) target/fuzz-corpus/$(FUZZ) fuzz/corpus/$(FUZZ) \
		-- -max_total_time=$(or $(FUZZ_TIME),60)

install: build
	install -D -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/rbox
	@$(RUN) $(BIN) --list-full | while read -r l; do \
		mkdir -p "$(DESTDIR)$(PREFIX)/$$(dirname $$l)"; \
		[ "$$l" = bin/rbox ] || ln -sf "$(PREFIX)/bin/rbox" "$(DESTDIR)$(PREFIX)/$$l"; \
	done

# An empty root holding only rbox and its links: what a FROM scratch image gets.
rootfs: build
	@test -n "$(DIR)" || { echo "usage: make rootfs DIR=path"; exit 1; }
	install -D -m 755 $(BIN) $(DIR)/bin/rbox
	@$(RUN) $(BIN) --list-full | while read -r l; do \
		mkdir -p "$(DIR)/$$(dirname $$l)"; ln -sf /bin/rbox "$(DIR)/$$l"; \
	done

clean:
	$(CARGO) clean
