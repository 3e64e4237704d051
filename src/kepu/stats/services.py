"""Changes to what the statistics keep of their own: manual figures, honours, report texts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError
from kepu.core.scopes import Capability, require_venue
from kepu.core.services import (
    apply_changes,
    create_and_audit,
    reject_unknown_fields,
    validate_model,
)
from kepu.network.models import Venue
from kepu.stats.models import Honour, ManualFigure, ReportKind, ReportText
from kepu.stats.periods import check_year
from kepu.stats.reports.sections import section_keys

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

# The fields a form or the API may set, in the order they show them.
MANUAL_FIELDS = ("key", "starts_on", "ends_on", "value", "approximate", "note")
HONOUR_FIELDS = ("awarded_on", "title", "title_en", "awarded_by", "level", "recipient", "count")


def _entered_by(actor: Actor) -> User | None:
    from kepu.core.models import User

    return actor if isinstance(actor, User) else None


def _check_period(figure: ManualFigure) -> None:
    if figure.starts_on and figure.ends_on and figure.ends_on < figure.starts_on:
        raise ApplicationError.for_field("ends_on", _("A period cannot end before it starts."))
    if figure.value is not None and figure.value < 0:
        raise ApplicationError.for_field("value", _("A figure cannot be negative."))


@transaction.atomic
def manual_figure_set(*, actor: Actor, venue: Venue, data: Mapping[str, Any]) -> ManualFigure:
    """Enter a figure by hand for a venue and period; entering it again for the same period
    replaces the value (the audit log keeps the old one)."""
    require_venue(actor, venue, Capability.MANAGE_REPORTS)
    reject_unknown_fields(data, MANUAL_FIELDS)
    existing = None
    if all(data.get(name) is not None for name in ("key", "starts_on", "ends_on")):
        existing = (
            ManualFigure.objects.select_for_update()
            .filter(
                venue=venue, key=data["key"], starts_on=data["starts_on"], ends_on=data["ends_on"]
            )
            .first()
        )
    if existing is None:
        return create_and_audit(
            actor=actor,
            instance=ManualFigure(
                venue=venue, entered_by=_entered_by(actor), entered_at=timezone.now(), **data
            ),
            action="manual_figure.create",
            conflict=("key", _("This figure was entered for this period a moment ago.")),
            venue=venue,
            extra_validation=_check_period,
        )
    existing.entered_by = _entered_by(actor)
    existing.entered_at = timezone.now()
    changes = {k: v for k, v in data.items() if k not in {"key", "starts_on", "ends_on"}}
    return apply_changes(
        actor=actor,
        instance=existing,
        data=changes,
        allowed=MANUAL_FIELDS,
        action="manual_figure.update",
        venue=venue,
        extra_validation=_check_period,
    )


def _delete_audited(actor: Actor, record: ManualFigure | Honour, action: str) -> None:
    require_venue(actor, record.venue, Capability.MANAGE_REPORTS)
    audit_record(
        actor=actor, action=action, target=record, before=snapshot(record), venue=record.venue
    )
    record.delete()


@transaction.atomic
def manual_figure_delete(*, actor: Actor, figure: ManualFigure) -> None:
    _delete_audited(actor, figure, "manual_figure.delete")


@transaction.atomic
def honour_save(
    *, actor: Actor, venue: Venue, data: Mapping[str, Any], honour: Honour | None = None
) -> Honour:
    require_venue(actor, venue, Capability.MANAGE_REPORTS)
    if honour is None:
        reject_unknown_fields(data, HONOUR_FIELDS)
        return create_and_audit(
            actor=actor,
            instance=Honour(venue=venue, **data),
            action="honour.create",
            conflict=("title", _("This honour is recorded already.")),
            venue=venue,
        )
    if honour.venue_id != venue.pk:
        raise ApplicationError.for_field("venue", _("This honour belongs to another venue."))
    return apply_changes(
        actor=actor,
        instance=honour,
        data=data,
        allowed=HONOUR_FIELDS,
        action="honour.update",
        venue=venue,
    )


@transaction.atomic
def honour_delete(*, actor: Actor, honour: Honour) -> None:
    _delete_audited(actor, honour, "honour.delete")


@transaction.atomic
def report_texts_save(
    *,
    actor: Actor,
    venue: Venue,
    year: int,
    report: str,
    texts: Mapping[str, tuple[str, str]],
) -> list[ReportText]:
    """Save the narrative sections of a report: {section: (Chinese text, English text)}."""
    require_venue(actor, venue, Capability.MANAGE_REPORTS)
    check_year(year)
    if report not in ReportKind.values:
        raise ApplicationError.for_field("report", _("Choose one of the three reports."))
    unknown = sorted(set(texts) - section_keys(report))
    if unknown:
        raise ApplicationError.for_field(
            "section", _("This report has no section %(name)s.") % {"name": ", ".join(unknown)}
        )
    saved = []
    existing = {
        text.section: text
        for text in ReportText.objects.select_for_update().filter(
            venue=venue, year=year, report=report
        )
    }
    for section, (text, text_en) in texts.items():
        current = existing.get(section)
        text, text_en = text.strip(), text_en.strip()
        if current is not None and (current.text, current.text_en) == (text, text_en):
            saved.append(current)
            continue
        before = snapshot(current, ["text", "text_en"]) if current is not None else None
        item = current or ReportText(venue=venue, year=year, report=report, section=section)
        item.text, item.text_en = text, text_en
        item.updated_by = _entered_by(actor)
        item.updated_at = timezone.now()
        validate_model(item, exclude=["venue", "updated_by"])
        item.save()
        audit_record(
            actor=actor,
            action="report_text.update" if current else "report_text.create",
            target=item,
            before=before,
            after=snapshot(item, ["text", "text_en"]),
            venue=venue,
        )
        saved.append(item)
    return saved
