"""Benchmarks of the platform (not part of the application)."""
