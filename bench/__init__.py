"""Benchmarks of the speed targets, and the reference apps and generated data they compare against."""
