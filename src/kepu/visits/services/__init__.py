"""Writes of the visits app, one module per part of the work."""
