"""Parsers, one per system file of a gitlabsos archive."""
