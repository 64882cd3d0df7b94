"""Benchmarks: full-site figures (`python -m bench.site`) and search figures (`python -m bench.search.run`)."""
