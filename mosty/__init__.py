"""Mosty: connecting institutional and social networks around newcomers."""

__version__ = "0.1.0"
