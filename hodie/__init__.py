"""Hodie: publish "this day in history" with honest historical dates."""

__version__ = "0.1.0"
