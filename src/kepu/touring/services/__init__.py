"""Writes of the touring app: registry, rotation planning, tours, caravan planning."""
