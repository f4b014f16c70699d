# The project's one entry point. `make run` works on a fresh clone with only
# Python 3.11, make and git installed; `make test` needs npm too (axe-core
# and ical.js, package.json).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt | cksum | cut -d' ' -f1)
MANAGE := $(BIN)/python manage.py
PO_FILES := $(wildcard locale/*/LC_MESSAGES/django.po */locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)
HOST ?= 127.0.0.1
PORT ?= 8000
# Demo scale of the load benchmark (20: ~600 courses; building it takes long).
BENCH_LOAD_SCALE ?= 1

.PHONY: setup run test e2e bench bench-render bench-load bench-load-feeds bench-feed bench-signups lint format messages compilemessages check clean

setup: $(STAMP) $(MO_FILES)

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $@

%/LC_MESSAGES/django.mo: %/LC_MESSAGES/django.po
	msgfmt --check-format -o $@ $< 2>/dev/null || $(BIN)/python -c "import polib,sys; polib.pofile(sys.argv[1]).save_as_mofile(sys.argv[2])" $< $@

compilemessages: $(STAMP)
	for po in $(PO_FILES); do $(MAKE) --no-print-directory $${po%.po}.mo; done

run: setup
	$(MANAGE) migrate --no-input
	$(MANAGE) load_demo_data
	$(MANAGE) runserver $(HOST):$(PORT)

test: setup node_modules/.installed
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run
	$(BIN)/pytest -n 2

# End-to-end tests in the machine's Chromium (apt-get install -y chromium);
# axe-core comes from npm (package.json), and so does Mozilla's ical.js, which
# `make test` uses to check the calendar feeds (tests/courses/test_feed_icaljs.py).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

e2e: setup node_modules/.installed
	$(BIN)/pytest tests/e2e --override-ini="addopts=-p no:cacheprovider -q"

# Benchmarks print figures (see bench/README.md and docs/performance.md).
bench: bench-render bench-load bench-load-feeds bench-feed bench-signups

bench-render: setup
	$(BIN)/python bench/render.py --scale 1
	$(BIN)/python bench/render.py --scale 20

bench-load: setup
	$(BIN)/python bench/load.py --scale $(BENCH_LOAD_SCALE)

bench-load-feeds: setup
	$(BIN)/python bench/load.py --site feeds

bench-feed: setup
	$(BIN)/python bench/feed.py --courses 300 --sessions 10

bench-signups: setup
	$(BIN)/python bench/signups.py

check: setup
	DJANGO_SETTINGS_MODULE=academy_site.settings.test $(MANAGE) check

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: setup
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Each feature app keeps its own catalogue in <app>/locale; the top-level
# locale/ holds the strings of academy_site, home and search;
# academy_site/wagtail_locale corrects a few of Wagtail's Italian strings, by
# hand (compiled by compilemessages, never rewritten by makemessages).
APPS_WITH_LOCALE := courses partners donations
messages: setup
	$(MANAGE) makemessages --locale it --locale en --no-obsolete \
		--ignore ".venv/*" --ignore "var/*" --ignore "node_modules/*" $(foreach app,$(APPS_WITH_LOCALE),--ignore "$(app)/*")
	for app in $(APPS_WITH_LOCALE); do \
		if [ -d $$app/locale ]; then (cd $$app && ../$(BIN)/python ../manage.py makemessages --locale it --locale en --no-obsolete); fi; \
	done
	$(MAKE) --no-print-directory compilemessages

clean:
	rm -rf $(VENV) var static .pytest_cache .ruff_cache
