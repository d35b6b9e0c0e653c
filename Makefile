# ma cantine — centre de ressources
# Two commands do everything on a fresh machine: `make run` and `make test`.

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.lock | cut -c1-12)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint migrate demo serve clean test-tools audit bench-load messages

install: $(STAMP)

# uv (pinned in requirements.lock, installed first by pip from its own lines there, hashes checked) installs the
# lock and compiles its bytecode in parallel: 11 s instead of pip's 60–70 s on a fresh clone (docs/qualite.md).
$(STAMP): requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	awk '/^uv==/ {keep = 1} keep {print} keep && !/\\$$/ {exit}' requirements.lock > $(VENV)/uv.lock.txt
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r $(VENV)/uv.lock.txt
	$(VENV)/bin/uv pip install --quiet --python $(PY) --require-hashes --compile-bytecode -r requirements.lock
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

migrate: install
	mkdir -p var
	$(PY) manage.py migrate --no-input

demo: migrate
	$(PY) manage.py load_demo

run: demo
	$(PY) manage.py collectstatic --no-input --verbosity 0
	$(PY) manage.py runserver $(HOST):$(PORT)

# lint-imports: the apps' layers (.importlinter, docs/dev/architecture.md): nothing imports upward.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

# axe-core (accessibility checks in Chromium) comes from the npm registry; without npm those tests skip.
test-tools:
	@if command -v npm >/dev/null 2>&1; then \
		test -f node_modules/axe-core/axe.min.js || npm ci --no-audit --no-fund --silent; \
	else echo "npm not found: the accessibility checks will be skipped"; fi

# pytest-xdist: one worker per CPU (at most 4), each on a copy of a test database migrated once (tests/dbtemplate.py);
# the tests sharing an expensive fixture (live site, module-wide sites) run on one worker, transactional tests last
# (tests/conftest.py). `make test PYTEST_ARGS=` runs in one process; `make test PYTEST_ARGS="-n 2 tests/api"` a part.
PYTEST_ARGS ?= -n auto --maxprocesses=4

# PYTHONDONTWRITEBYTECODE (set on some machines) would make each of the run's processes — workers, live site,
# management commands — compile the project and rewrite the tests' assertions again: the run keeps its bytecode.
test: install lint test-tools
	$(PY) manage.py makemigrations --check --dry-run --settings=config.settings.test
	PYTHONDONTWRITEBYTECODE= $(VENV)/bin/pytest $(PYTEST_ARGS)

# Message catalogues: one per app (<app>/locale/en), regenerated from the app's code and templates, then compiled.
# tests/quality/test_catalogues.py checks that this changes nothing and that no English message is left empty.
MESSAGES_APPS := $(patsubst %/locale/en,%,$(wildcard */locale/en))
messages: install
	for app in $(MESSAGES_APPS); do \
		(cd $$app && ../$(PY) ../manage.py makemessages -l en --no-location --no-obsolete -v 0) || exit 1; \
	done
	for app in $(MESSAGES_APPS); do (cd $$app && ../$(PY) ../manage.py compilemessages -v 0) || exit 1; done

# Known vulnerabilities of the locked dependencies. pip-audit asks PyPI's advisory service over the network:
# not part of `make test`; .ci/run calls .ci/audit, which runs this when the service answers and otherwise says
# « DEPENDENCY AUDIT NOT RUN » (see docs/qualite.md).
audit:
	@command -v pip-audit >/dev/null 2>&1 || { echo "pip-audit not found (pipx install pip-audit): audit NOT run"; exit 1; }
	pip-audit --strict --require-hashes --disable-pip --timeout 10 -r requirements.lock

# HTTP load test (docs/exploitation.md): 50 clients, 60 s, gunicorn + PostgreSQL, page cache off then on.
bench-load: install
	$(PY) bench/load.py --compare $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var/static
