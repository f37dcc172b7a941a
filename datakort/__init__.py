"""The `datakort` command line, on top of everything: detectors <- scanner <- reports <- datakort."""
