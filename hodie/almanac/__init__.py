"""Entries, collections, articles and the day pages built from them."""
