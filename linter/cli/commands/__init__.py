"""One module per ``trackplan`` subcommand, each exposing ``command``."""
