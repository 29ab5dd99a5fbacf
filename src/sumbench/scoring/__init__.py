"""Scoring: ROUGE engine, length statistics, bootstrap and significance."""
