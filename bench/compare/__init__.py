"""Side-by-side search comparison: this site's engine, Pagefind 1.5 and stock Material search (`python -m bench.compare`)."""
