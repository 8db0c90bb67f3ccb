# policygraph: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= data/store
PORT   ?= 8501

.PHONY: install demo ingest-samples serve test test-fast lint format bench bench-extract bench-scaling fuzz kill9 hostile clean

install: $(STAMP)

# ontology/ is installed as graph.ontology, so setuptools makes the editable install with an
# import finder and says so in an informational warning: that one notice is hidden, no other.
$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements.lock
	PYTHONWARNINGS="ignore:Editable installation" \
	  $(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

ingest-samples: install
	$(BIN)/policygraph --store $(STORE) ingest samples/*.txt --date 2024-11-18  # the sample article's publication date

serve: install
	$(BIN)/policygraph --store $(STORE) dashboard --port $(PORT)

demo: ingest-samples serve

test: install lint
	$(BIN)/python -m pytest

test-fast: install
	$(BIN)/python -m pytest -m "not model and not server and not browser"

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# dashboard speed: page load to network drawn for 100, 1,000 and 10,000 deals (bench/README.md)
bench: install
	$(BIN)/python -m bench.render --sizes 100 1000 10000 --out bench/results.md

# extraction speed against the plain spaCy model, and against REV's code, side by side
REV ?= HEAD~1
bench-extract: install
	$(BIN)/python -m bench.extract --against $(REV) --out bench/extract.md

# ingest cost against article length: 1,000, 2,000 and 4,000 paragraphs, as growth ratios
bench-scaling: install
	$(BIN)/python -m bench.scaling --paragraphs 1000 2000 4000 --out bench/scaling.md

# mutated corpus articles through parse, extract, RDF and SHACL; crashes go to tests/fuzz/crashes/
FUZZ_SECONDS ?= 300
fuzz: install
	$(BIN)/python -m bench.fuzz --seconds $(FUZZ_SECONDS)

# SIGKILL at random moments of ingests and updates: the store must open, hold whole articles, re-runs match
KILL9_SECONDS ?= 300
kill9: install
	$(BIN)/python -m bench.kill9 --seconds $(KILL9_SECONDS) --out bench/kill9.md

# every kind of bad file, option, setting and hostile query through the CLI: one line each, store unchanged
hostile: install
	$(BIN)/python -m bench.hostile --out bench/hostile.md


clean:
	rm -rf $(VENV) data/store
