# Two commands do all the set-up: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
# The browser journeys (tests/browser) drive Debian's chromium (apt-get install chromium).
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test install lint format clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet '.[dev]'
	touch $@

install: $(INSTALLED)

demo: $(INSTALLED)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py ensure_admin
	$(BIN)/python manage.py load_cica --user "$${DJANGO_SUPERUSER_USERNAME:-admin}"
	@echo "Serving on http://127.0.0.1:8000/admin/ (Ctrl-C to stop)"
	DEBUG=true $(BIN)/python manage.py runserver 127.0.0.1:8000

test: $(INSTALLED)
	$(BIN)/python -m pytest
	@if [ -x "$(CHROMIUM)" ]; then \
		echo "== browser journeys: tests/browser in $(CHROMIUM) =="; \
		CHROMIUM="$(CHROMIUM)" $(BIN)/python -m pytest tests/browser; \
	else \
		echo "*** SKIPPED the browser journeys (tests/browser): no chromium at $(CHROMIUM) (apt-get install chromium) ***"; \
	fi

lint: $(INSTALLED)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(INSTALLED)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles test-results
