# Hearth: `make run` serves the app, `make test` runs every test. Both set themselves up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
TOOLS := .venv-tools
SEMGREP := $(TOOLS)/bin/semgrep scan --metrics=off --disable-version-check
export FLASK_APP := wsgi

.PHONY: run test lint security format worker bench scale-test image image-test clean help translations catalogues

help:
	@echo "make run     create .venv, install, migrate and serve http://127.0.0.1:5000"
	@echo "make test    create .venv, install and run the whole test suite"
	@echo "make lint    ruff checks, and the layers of webapp/ (import-linter)"
	@echo "make security  bandit and semgrep (.ci/semgrep/flask.yml), in .venv-tools"
	@echo "make worker  an RQ worker (needs REDIS_URL)"
	@echo "make translations  extract the strings, update each language's catalogue, compile them"
	@echo "make image   build the Dockerfile with buildah (no Docker engine needed; ~5 min the first time)"
	@echo "make image-test  run the image's release, web and worker commands against PostgreSQL, Redis, SMTP"
	@echo "make bench   seed scratch PostgreSQL databases and load each page with wrk (~15 min)"
	@echo "make scale-test  two web nodes behind HAProxy, two workers, PgBouncer; nodes killed as members rush (~2 min)"

$(BIN)/activate:
	@echo "==> creating the virtual environment in $(VENV)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(BIN)/activate
	@echo "==> installing runtime requirements"
	$(BIN)/pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/activate
	@echo "==> installing runtime and test requirements"
	$(BIN)/pip install --quiet -r requirements-dev.txt
	@touch $@ $(VENV)/.runtime-installed

# The compiled catalogues (.mo) are built from the committed ones (.po), never committed:
# by run, test and the image (Dockerfile). docs/translating.md.
PYBABEL := $(BIN)/pybabel
CATALOGUES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

$(CATALOGUES): %.mo: %.po | $(VENV)/.runtime-installed
	$(PYBABEL) compile --domain messages --input-file $< --output-file $@

catalogues: $(CATALOGUES)

# Every string wrapped in _(), _l(), ngettext() or {% trans %} into messages.pot, each
# language's messages.po brought up to date with it (new strings empty, changed ones
# fuzzy), then compiled.
translations: $(VENV)/.runtime-installed
	$(PYBABEL) extract --mapping-file babel.cfg --keywords _l --keywords lazy_gettext \
		--keywords lazy_ngettext:1,2 --keywords lazy_pgettext:1c,2 \
		--add-comments TRANSLATORS: --add-location file --sort-output --project Hearth \
		--copyright-holder "Hearth's contributors" --msgid-bugs-address "" \
		--output-file translations/messages.pot .
	$(PYBABEL) update --input-file translations/messages.pot --output-dir translations \
		--domain messages --no-wrap
	$(PYBABEL) compile --directory translations --domain messages --statistics

run: $(VENV)/.runtime-installed $(CATALOGUES)
	@echo "==> applying database migrations"
	$(BIN)/flask db upgrade
	@echo "==> serving Hearth on http://127.0.0.1:5000 (Ctrl-C stops it)"
	$(BIN)/flask run --host 127.0.0.1 --port 5000

# Test processes: one more than the cores, since many tests wait (Chromium, live parts'
# polls, subprocesses starting), at most five; each module's tests stay in one process
# (their shared worlds), and the processes take the longest modules first, in the order
# tests/conftest.py gives them. PYTEST_WORKERS= runs them all in one.
TEST_PROCESSES ?= $(shell $(PYTHON) -c "import os; print(min((os.cpu_count() or 1) + 1, 5))")
PYTEST_WORKERS ?= -n $(TEST_PROCESSES) --dist loadfile --no-loadscope-reorder

# The Nu Html Checker (npm's vnu-jar, a Java program) that the browser tests run over every
# page they visit (tests/support/html_checker.py); without npm or java they go without it.
VNU_VERSION := 26.9.27
VNU_JAR := $(TOOLS)/vnu/node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR):
	@if command -v npm >/dev/null && command -v java >/dev/null; then \
		echo "==> installing the Nu Html Checker (vnu-jar $(VNU_VERSION)) in $(TOOLS)/vnu"; \
		npm install --silent --no-audit --no-fund --prefix $(TOOLS)/vnu vnu-jar@$(VNU_VERSION); \
	else echo "==> no npm or java: the browser tests run without the HTML checker"; fi

# Compiled bytecode is kept (in __pycache__, ignored by git) even where the environment
# says not to write it: every test process, and each server, worker and command a test
# starts, would otherwise compile the app and the tests afresh, and the import test
# compiles each module hundreds of times.
test: $(VENV)/.dev-installed $(CATALOGUES) $(VNU_JAR)
	@echo "==> running the tests"
	PYTHONDONTWRITEBYTECODE= VNU_JAR=$(abspath $(VNU_JAR)) $(BIN)/pytest $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: $(VENV)/.dev-installed
	@echo "==> ruff"
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	@echo "==> import-linter: the layers of webapp/ (.importlinter)"
	$(BIN)/lint-imports

$(TOOLS)/.installed: requirements-tools.txt
	@echo "==> installing bandit and semgrep in $(TOOLS)"
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --upgrade pip
	$(TOOLS)/bin/pip install --quiet -r requirements-tools.txt
	@touch $@

# No finding is left unexplained: a meant one carries `# nosec <id>` or
# `# nosemgrep: <rule>` on its line, with the reason in a comment beside it.
security: $(TOOLS)/.installed
	@echo "==> bandit"
	$(TOOLS)/bin/bandit --quiet --recursive webapp
	@echo "==> semgrep: the rules catch their own cases, then the code"
	$(SEMGREP) --quiet --test .ci/semgrep/
	$(SEMGREP) --quiet --error --config .ci/semgrep/flask.yml webapp templates

format: $(VENV)/.dev-installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: $(VENV)/.runtime-installed
	$(BIN)/rq worker --with-scheduler --worker-class webapp.jobs.worker.HearthWorker --url "$${REDIS_URL:?set REDIS_URL}" "$${QUEUE_NAME:-hearth}"

# Needs PostgreSQL and Redis on this machine (started if stopped) and wrk (installed).
bench: $(VENV)/.runtime-installed
	@echo "==> benchmark: seeds scratch databases at 1x and 10x, loads every page with wrk"
	PYTHON=$(BIN)/python benchmarks/run

# Needs PostgreSQL and Redis on this machine (TEST_DATABASE_URL's server, SCALE_REDIS_URL),
# HAProxy and PgBouncer (Debian's, installed when missing). docs/deployment.md.
scale-test: $(VENV)/.dev-installed $(CATALOGUES)
	@if [ ! -x /usr/sbin/haproxy ] || [ ! -x /usr/sbin/pgbouncer ]; then \
	  echo "==> installing HAProxy and PgBouncer"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy pgbouncer >/dev/null; \
	fi
	@echo "==> scale test: Hearth across machines, with a node and a worker killed"
	$(BIN)/python -m tests.scale.check

# The Dockerfile as a Docker user builds it (`docker build .`), here with buildah and a
# stand-in base image made from Debian's packages (.ci/image/). IMAGE names the result.
IMAGE ?= localhost/hearth:latest
# buildah's storage: overlay, in a folder of its own. Where overlay cannot mount, vfs works
# too, several times slower (it copies the whole filesystem at each step):
# make image HEARTH_IMAGE_STORAGE="--storage-driver vfs"
HEARTH_IMAGE_STORAGE ?= --root /var/lib/containers/hearth-overlay --storage-driver overlay
export IMAGE HEARTH_IMAGE_STORAGE

image:
	.ci/image/build

# Needs PostgreSQL and Redis on this machine (TEST_DATABASE_URL's server, TEST_REDIS_URL).
image-test: image $(VENV)/.dev-installed
	@echo "==> image test: release, web and worker commands of $(IMAGE)"
	$(BIN)/python -m tests.image.check

clean:
	rm -rf $(VENV) $(TOOLS) .pytest_cache .ruff_cache
