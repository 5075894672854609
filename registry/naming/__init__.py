"""Naming conventions for events and properties (cases, grammar, tense, verb lexicon)."""
