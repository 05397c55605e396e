# Fuzzing the persona-package reader (core/persona.c) with libFuzzer: clang
# (Debian's, with libclang-rt for the fuzzer runtime), AddressSanitizer and
# UndefinedBehaviorSanitizer. Seeds: tests/fuzz/corpus (in the tree); what
# the fuzzer finds on top goes to build/fuzz/corpus, crashes to
# build/fuzz/artifacts.
#
#   make fuzz-smoke   a bounded run (FUZZ_SMOKE_SECONDS, default 30)
#   make fuzz         setup, then a long run (FUZZ_SECONDS, default 600)
#   make fuzz-corpus  regenerate the seeds with build/facet

FUZZ_CC := clang
FUZZ_CFLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter \
	-Iinclude -I. -D_GNU_SOURCE
FUZZ_SRCS := tests/fuzz/fuzz_persona.c core/persona.c core/fdt_sound.c tools/facet/persona_crypto.c \
	tools/facet/diag.c
FUZZ_BIN := build/fuzz/fuzz_persona
# The boot-image manifest reader (core/manifest.c), seeds in tests/fuzz/manifest-corpus.
FUZZ_MANIFEST_SRCS := tests/fuzz/fuzz_manifest.c core/manifest.c core/fdt_sound.c
FUZZ_MANIFEST_BIN := build/fuzz/fuzz_manifest
FUZZ_SEEDS := tests/fuzz/corpus
FUZZ_SMOKE_SECONDS ?= 30
FUZZ_SECONDS ?= 600

# One process (two shared cores); inputs beyond 64 KiB add nothing the seeds do not have.
FUZZ_ARGS := -dict=tests/fuzz/persona.dict -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
	-artifact_prefix=build/fuzz/artifacts/

.PHONY: fuzz-bin fuzz-smoke fuzz-run fuzz-corpus
fuzz-bin: $(FUZZ_BIN) $(FUZZ_MANIFEST_BIN)

$(FUZZ_MANIFEST_BIN): $(FUZZ_MANIFEST_SRCS) $(wildcard include/abi/*.h core/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_MANIFEST_SRCS) -lfdt

$(FUZZ_BIN): $(FUZZ_SRCS) $(wildcard include/abi/*.h core/*.h tools/facet/*.h)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $(FUZZ_SRCS) -lfdt -lcrypto

fuzz-smoke: $(FUZZ_BIN)
	@mkdir -p build/fuzz/corpus build/fuzz/artifacts
	$(FUZZ_BIN) $(FUZZ_ARGS) -max_total_time=$(FUZZ_SMOKE_SECONDS) build/fuzz/corpus $(FUZZ_SEEDS)

fuzz-run: $(FUZZ_BIN)
	@mkdir -p build/fuzz/corpus build/fuzz/artifacts
	$(FUZZ_BIN) $(FUZZ_ARGS) -max_total_time=$(FUZZ_SECONDS) build/fuzz/corpus $(FUZZ_SEEDS)

fuzz-corpus: build/facet
	tests/fuzz/make-corpus.sh
