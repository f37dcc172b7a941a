"""Crawling, extraction, the scan pipeline, the findings store and the command line."""
