"""Command-line entry points: demo data, schema export, benchmarks."""
