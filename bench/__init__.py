"""Benchmarks: each `bench_<feature>.py` has a `main()` that prints medians over several runs."""
