# Two commands on a fresh machine: `make run` and `make test`.
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export PREFECT_HOME ?= $(CURDIR)/.prefect

.PHONY: run test setup clean-output

$(PY):
	python3 -m venv $(VENV)

# Reinstall only when the pins or the project's metadata change.
$(STAMP): $(PY) pyproject.toml constraints.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,dask,corpus,s3,http]'
	touch $(STAMP)

# Migrating Prefect's database here keeps it out of the first flow run's start-up (13-15 s).
$(PREFECT_HOME)/prefect.db: | $(STAMP)
	PREFECT_SERVER_ANALYTICS_ENABLED=false $(VENV)/bin/prefect server database upgrade -y >/dev/null

setup: $(STAMP) $(PREFECT_HOME)/prefect.db

run: setup
	$(VENV)/bin/docpipe ingest raw --out output

test: $(STAMP)
	$(PY) -m pytest -q

clean-output:
	rm -rf output/documents output/blocks output/abstracts output/rejects output/runs
