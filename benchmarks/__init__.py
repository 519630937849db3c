"""Benchmarks at national scale: the dataset generator and the refresh benchmark."""
