"""trackplan.linter: the libcst analyzer, the CLI and the reporters."""
