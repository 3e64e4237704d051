"""The touring pages: thin adapters from requests to selectors and services."""
