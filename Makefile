# stance: `make demo` and `make test` are the two quick-start commands; see README.md.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check -c constraints.txt
CACHE_HOME := $(if $(XDG_CACHE_HOME),$(XDG_CACHE_HOME),$(HOME)/.cache)
MODEL_DIR ?= $(CACHE_HOME)/stance/models/default
SEED := seeds/000_ef0fb1aaffeb18a3.txt
SHARED ?= ../shared/benchmarks

.PHONY: demo test model bench corpus install install-dev clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip

# torch first and pinned: 2.13.0 is the CPU build on this disk; an unpinned torch pulls a CUDA build.
$(VENV)/.torch: | $(PY)
	$(PIP) torch==2.13.0
	touch $@

$(VENV)/.installed: setup.cfg constraints.txt $(VENV)/.torch
	$(PIP) -e .
	touch $@

$(VENV)/.installed-dev: setup.cfg constraints.txt $(VENV)/.torch
	$(PIP) -e '.[dev]'
	touch $@ $(VENV)/.installed

$(VENV)/.installed-bench: setup.cfg constraints.txt $(VENV)/.installed-dev
	$(PIP) -e '.[dev,bench]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Analyse the seed article; builds the default model first when it is missing.
demo: $(VENV)/.installed-dev
	@test -f "$(MODEL_DIR)/stance_config.json" || $(MAKE) --no-print-directory model
	$(VENV)/bin/stance analyze --model "$(MODEL_DIR)" $(SEED)

# Tests see a fresh cache and no STANCE_MODEL, so a model built earlier never changes what they see.
test: $(VENV)/.installed-dev
	@tmp=$$(mktemp -d); \
	env -u STANCE_MODEL XDG_CACHE_HOME="$$tmp" HF_HUB_OFFLINE=1 TOKENIZERS_PARALLELISM=false \
		$(PY) -m pytest -q -p no:cacheprovider; rc=$$?; rm -rf "$$tmp"; exit $$rc

# Train the default model into the user cache folder (refuses to overwrite an existing one).
model: $(VENV)/.installed-dev
	HF_HUB_OFFLINE=1 $(PY) -m training.train --config training/configs/default.json --output_dir "$(MODEL_DIR)"

corpus: $(VENV)/.installed-dev
	$(PY) -m training.build_corpus

bench: $(VENV)/.installed-bench
	$(PY) -m benchmarks.quotes --shared $(SHARED)

clean:
	rm -rf $(VENV) build *.egg-info
