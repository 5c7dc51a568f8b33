# Every target builds its own virtual environment from nothing: python3 and make are all
# a fresh machine needs.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ROOT   ?= records

.PHONY: demo test lint typecheck bench clean venv catalogs

venv: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,fast]'
	touch $(STAMP)

DEMO_TODAY   ?= 2026-11-29
DEMO_REPORTS ?= build/demo-reports
DEMO_CASE    ?= HS-2026-0005

demo: $(STAMP)
	$(BIN)/hardship --root $(ROOT) validate
	$(BIN)/hardship --root $(ROOT) summary
	$(BIN)/hardship --root $(ROOT) budget --today $(DEMO_TODAY) || true
	@mkdir -p $(DEMO_REPORTS)
	@for lang in zh en; do for fmt in md html; do \
	  $(BIN)/hardship --root $(ROOT) report monthly --month previous --today $(DEMO_TODAY) --lang $$lang -o $(DEMO_REPORTS)/monthly-{month}.$$lang.$$fmt && \
	  $(BIN)/hardship --root $(ROOT) report annual --today $(DEMO_TODAY) --lang $$lang -o $(DEMO_REPORTS)/annual-{year}.$$lang.$$fmt && \
	  $(BIN)/hardship --root $(ROOT) report notice --today $(DEMO_TODAY) --lang $$lang -o $(DEMO_REPORTS)/notice.$$lang.$$fmt && \
	  $(BIN)/hardship --root $(ROOT) report case $(DEMO_CASE) --today $(DEMO_TODAY) --lang $$lang -o $(DEMO_REPORTS)/case-{id}.$$lang.$$fmt \
	  || exit 1; done; \
	  $(BIN)/hardship --root $(ROOT) report annual --today $(DEMO_TODAY) --lang $$lang -o $(DEMO_REPORTS)/annual-{year}.$$lang.csv || exit 1; \
	  $(BIN)/hardship --root $(ROOT) report annual --today $(DEMO_TODAY) --lang $$lang -o $(DEMO_REPORTS)/annual-{year}.$$lang.xlsx || exit 1; \
	done
	@echo "reports of the demo root are in $(DEMO_REPORTS)/"
	@$(BIN)/python -c "import datetime as d; m = (d.date.fromisoformat('$(DEMO_TODAY)').replace(day=1) - d.timedelta(days=1)).strftime('%Y-%m'); print(f'先打开 / open first: $(DEMO_REPORTS)/monthly-{m}.zh.html (the monthly report, in a browser; English: monthly-{m}.en.html)')"

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check hardship_cli tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

lint: $(STAMP)
	$(BIN)/ruff check hardship_cli tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

# Extract the marked messages, update the zh_CN and en catalogs, compile them; then fill
# the empty msgstr lines of hardship_cli/locale/zh_CN/LC_MESSAGES/hardship.po and run it
# again. `make test` fails while a message has no Chinese (tests/test_catalogs.py).
catalogs: $(STAMP)
	$(BIN)/python tools/catalogs.py

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
