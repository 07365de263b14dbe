# Two commands: `make run` builds the graph and views, `make test` runs the tests.
# Both create .venv and install what they need on a fresh machine.

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
CDKG   := $(VENV)/bin/cdkg
STAMP  := $(VENV)/.installed
BUILD  ?= build
YASGUI := graph/web/vendor
YASGUI_PKG := @zazuko/yasgui@4.6.2
APT    := $(shell [ "$$(id -u)" = 0 ] && echo apt-get || echo sudo apt-get)

.PHONY: run test install system-deps build views ontology docs bench clean lexicon memberships evaluate

run: install
	$(CDKG) build --out $(BUILD)
	@for q in instruments-by-state co-party-pairs principles-by-instrument; do \
	  if [ -f queries/$$q.rq ]; then echo; echo "== cdkg query $$q"; $(CDKG) query $$q --store $(BUILD)/store || exit 1; fi; \
	done
	$(CDKG) view all --out-dir $(BUILD)/views --store $(BUILD)/store
	@echo
	@echo "Written under $(BUILD)/:"
	@find $(BUILD) -maxdepth 2 -not -path '$(BUILD)/store/*' -type f | sort | sed 's/^/  /'

test: install system-deps
	$(PY) -m pytest $(PYTEST_ARGS)

install: $(STAMP) $(YASGUI)/yasgui.min.js

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -qq --upgrade pip "setuptools>=77" wheel
	$(PY) -m pip install -qq -e '.[test,docs]'
	@touch $(STAMP)

# YASGUI for the query page of `cdkg serve`, from the npm registry at install time into an
# folder git ignores (all but its README; shipped in the wheel, never committed), served locally at /static/vendor/.
$(YASGUI)/yasgui.min.js:
	@command -v npm >/dev/null || { echo "npm is needed to fetch @zazuko/yasgui (apt-get install npm)"; exit 2; }
	rm -rf $(YASGUI).tmp && mkdir -p $(YASGUI).tmp
	cd $(YASGUI).tmp && npm pack --silent $(YASGUI_PKG) >/dev/null && tar xzf *.tgz
	cp $(YASGUI).tmp/package/build/yasgui.min.js $(YASGUI).tmp/package/build/yasgui.min.css \
	   $(YASGUI).tmp/package/package.json $(YASGUI)/
	rm -rf $(YASGUI).tmp

# Debian packages the tests use: a JRE for the HermiT reasoner, chromium for the views,
# Virtuoso as a second real SPARQL server. Installed only when missing.
system-deps:
	@missing=""; \
	command -v java >/dev/null || missing="$$missing default-jre-headless"; \
	command -v chromium >/dev/null || missing="$$missing chromium fonts-dejavu-core"; \
	command -v virtuoso-t >/dev/null || missing="$$missing virtuoso-opensource"; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:$$missing"; \
	  $(APT) update -q && DEBIAN_FRONTEND=noninteractive $(APT) install -y -q --no-install-recommends $$missing; \
	fi

# countries.ttl and organizations.ttl are generated from the reference tables; the other
# data/lexicon/*.ttl files are edited by hand.
lexicon: install
	$(CDKG) lexicon-import --reference ../shared/reference --out data/lexicon

# data/linked/memberships.ttl, the example dataset for `cdkg link`, from the reference tables.
memberships: install
	$(CDKG) memberships-import --memberships ../shared/reference/memberships.csv --out data/linked/memberships.ttl

evaluate: install
	$(CDKG) evaluate --summary --gold ../shared/corpus/gold --gold ../shared/corpus/dev/gold --gold tests/corpus/tune/gold --gold tests/corpus/heldout/gold

ontology: install
	$(CDKG) ontology build

docs: install
	$(CDKG) ontology docs

bench: install
	$(CDKG) bench run
	$(CDKG) bench views --documents 1000 10000
	$(CDKG) bench serve

clean:
	rm -rf $(BUILD)
