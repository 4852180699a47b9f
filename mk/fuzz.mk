# Fuzzing (fuzz/: cargo-fuzz on the nightly toolchain, its own cargo workspace).
#   make fuzz-smoke     install cargo-fuzz if missing, build every target, run each briefly
#                       (FUZZ_SECONDS: 60 by default, 25 when CI=true); a crash fails the run
#   make fuzz-campaign  run each target for FUZZ_SECONDS (default 600) at nice 19, one at a
#                       time, logs in /tmp/h1x-fuzz-<target>.log
#   make fuzz-seeds     regenerate fuzz/seeds/ from core/tests/vectors/*.json

FUZZ_DIR := fuzz
FUZZ_TARGETS := request_head response_head chunked_body server_split client_interim roundtrip diff_httparse
ifeq ($(CI),true)
FUZZ_SECONDS ?= 25
else
FUZZ_SECONDS ?= 60
endif
FUZZ_FLAGS ?= -dict=http.dict -max_len=4096 -timeout=10 -rss_limit_mb=2048 -print_final_stats=1

CI_TARGETS += fuzz-smoke

.PHONY: fuzz-setup fuzz-build fuzz-smoke fuzz-campaign fuzz-seeds

fuzz-setup:
	@rustup toolchain list | grep -q '^nightly' || rustup toolchain install nightly --profile minimal
	@command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

fuzz-build: fuzz-setup
	cd $(FUZZ_DIR) && cargo +nightly fuzz build

# Each target: the committed seeds copied into its (git-ignored) corpus, then $(1) seconds of
# fuzzing with `$(2)` in front, the log in $(FUZZ_LOG_DIR)/h1x-fuzz-<target>.log. cargo fuzz exits
# non-zero on a crash, a failed assertion, a timeout or a leak: the run stops there and fails.
FUZZ_LOG_DIR ?= /tmp
define fuzz_run
	@for t in $(FUZZ_TARGETS); do \
	  mkdir -p $(FUZZ_DIR)/corpus/$$t; \
	  if [ -d $(FUZZ_DIR)/seeds/$$t ]; then cp -n $(FUZZ_DIR)/seeds/$$t/* $(FUZZ_DIR)/corpus/$$t/ 2>/dev/null || true; fi; \
	done
	@for t in $(FUZZ_TARGETS); do \
	  log=$(FUZZ_LOG_DIR)/h1x-fuzz-$$t.log; \
	  echo "fuzz: $$t for $(1) s (log $$log)"; \
	  if ( cd $(FUZZ_DIR) && $(2) cargo +nightly fuzz run $$t corpus/$$t -- $(FUZZ_FLAGS) -max_total_time=$(1) ) >$$log 2>&1 </dev/null; then \
	    grep -E '^(Done |stat::number_of_executed_units|#[0-9]+\s+DONE)' $$log || true; \
	  else \
	    tail -n 60 $$log; \
	    echo "fuzz: $$t FAILED (reproducer in $(FUZZ_DIR)/artifacts/$$t/)"; exit 1; \
	  fi; \
	done
endef

fuzz-smoke: fuzz-build
	$(call fuzz_run,$(FUZZ_SECONDS),)
	@echo "fuzz-smoke: $(words $(FUZZ_TARGETS)) targets built and run for $(FUZZ_SECONDS) s each, no crash"

FUZZ_CAMPAIGN_SECONDS ?= 600
fuzz-campaign: fuzz-build
	$(call fuzz_run,$(FUZZ_CAMPAIGN_SECONDS),nice -n 19)
	@echo "fuzz-campaign: done; figures in $(FUZZ_LOG_DIR)/h1x-fuzz-<target>.log"

fuzz-seeds:
	python3 $(FUZZ_DIR)/extract_seeds.py
