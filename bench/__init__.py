"""Benchmarks (`make bench`): bench/run.py is the entry point, bench/README.md explains the figures."""
