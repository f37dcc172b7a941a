"""The register, reconciliation (gaps) and the reports."""
