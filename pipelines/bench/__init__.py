"""Benchmark corpus (synthetic Shenzhen and Shanghai disclosures with known truth) and the benchmark itself."""
