"""Fixtures of the configuration-file and ``init`` tests (helpers: config_files_support)."""
