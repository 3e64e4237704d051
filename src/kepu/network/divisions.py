"""Keeping the division table in step with the installed division data package."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from kepu.network.division_data import division_rows
from kepu.network.models import Division


@dataclass(frozen=True)
class SyncResult:
    created: int
    updated: int


@transaction.atomic
def divisions_sync() -> SyncResult:
    """Add new divisions and refresh names and coordinates; never deletes (venues refer to them)."""
    existing = {division.code: division for division in Division.objects.all()}
    created, changed = [], []
    for row in division_rows():
        values = {
            "name": row.name,
            "name_en": row.name_en,
            "level": row.level,
            "parent_id": row.parent_code,
            "latitude": row.latitude,
            "longitude": row.longitude,
        }
        division = existing.get(row.code)
        if division is None:
            created.append(Division(code=row.code, **values))
        elif any(getattr(division, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(division, key, value)
            changed.append(division)
    Division.objects.bulk_create(created, batch_size=500)
    Division.objects.bulk_update(
        changed, ["name", "name_en", "level", "parent", "latitude", "longitude"], batch_size=500
    )
    return SyncResult(created=len(created), updated=len(changed))
