"""Service certificates (民政部令第67号《志愿服务记录与证明出具办法》): the venue that recorded the
service certifies it. A certificate freezes what the records say for its period; its code can be
checked by anyone on the public verification page, and the PDF carries a QR code to that page.
"""

from __future__ import annotations

import base64
import secrets
from datetime import date
from typing import TYPE_CHECKING, Any

import segno
from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, NotFoundError
from kepu.programs.selectors import local_range
from kepu.visits.services.booking import REFERENCE_ALPHABET
from kepu.volunteers import selectors
from kepu.volunteers.models import (
    Assignment,
    AssignmentStatus,
    Certificate,
    Recognition,
    TrainingRecord,
    Volunteer,
    hours_from_minutes,
)
from kepu.volunteers.services.common import (
    actor_or_none,
    full_name,
    require_own_or_coordinator,
    require_volunteers,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

CODE_GROUPS = 3  # XXXX-XXXX-XXXX


def new_code() -> str:
    """Twelve characters easy to read aloud, in groups of four: 30^12 codes, not guessable."""
    return "-".join(
        "".join(secrets.choice(REFERENCE_ALPHABET) for _position in range(4))
        for _group in range(CODE_GROUPS)
    )


def normalise_code(text: str) -> str:
    """'ab2c def3 gh45' or 'AB2C-DEF3-GH45' → 'AB2C-DEF3-GH45'."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    return "-".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _details(volunteer: Volunteer, start: date, end: date) -> dict[str, Any]:
    first, after = local_range(start, end)
    by_post = (
        Assignment.objects.filter(
            volunteer=volunteer,
            status=AssignmentStatus.COMPLETED,
            starts_at__gte=first,
            starts_at__lt=after,
        )
        .values("shift_post__post__name", "shift_post__post__name_en")
        .annotate(minutes=Sum("minutes"), shifts=Count("id"))
        .order_by("-minutes")
    )
    training = TrainingRecord.objects.filter(
        volunteer=volunteer, passed=True, completed_on__gte=start, completed_on__lte=end
    ).select_related("course")
    commendations = Recognition.objects.filter(
        volunteer=volunteer,
        kind=Recognition.Kind.COMMENDATION,
        awarded_on__gte=start,
        awarded_on__lte=end,
    )
    return {
        "posts": [
            {
                "name": row["shift_post__post__name"],
                "name_en": row["shift_post__post__name_en"],
                "minutes": int(row["minutes"] or 0),
                "shifts": row["shifts"],
            }
            for row in by_post
        ],
        "training": [
            {
                "course": record.course.name,
                "course_en": record.course.name_en,
                "on": record.completed_on.isoformat(),
                "hours": str(record.course.hours),
            }
            for record in training
        ],
        "commendations": [
            {"title": item.title, "on": item.awarded_on.isoformat()} for item in commendations
        ],
        "team": volunteer.team.name if volunteer.team else "",
        "category": volunteer.category,
    }


@transaction.atomic
def certificate_issue(
    *,
    actor: Actor,
    volunteer: Volunteer,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> Certificate:
    """Issue a service certificate for [start, end] (by default: since joining, until today),
    by the volunteer themselves or their coordinator."""
    require_own_or_coordinator(actor, volunteer)
    today = today or timezone.localdate()
    start = start or volunteer.joined_on
    end = end or today
    if end > today:
        raise ApplicationError.for_field("end", _("A certificate covers service until today."))
    if end < start:
        raise ApplicationError.for_field("end", _("The end of the period is before its start."))
    first, after = local_range(start, end)
    totals = Assignment.objects.filter(
        volunteer=volunteer,
        status=AssignmentStatus.COMPLETED,
        starts_at__gte=first,
        starts_at__lt=after,
    ).aggregate(minutes=Sum("minutes"), shifts=Count("id"))
    minutes = int(totals["minutes"] or 0)
    if not minutes:
        raise ConflictError(
            _("No service is recorded for this period; there is nothing to certify."),
            code="no_service",
        )
    _through_end, until = local_range(volunteer.joined_on, end)
    all_minutes = Assignment.objects.filter(
        volunteer=volunteer, status=AssignmentStatus.COMPLETED, starts_at__lt=until
    ).aggregate(minutes=Sum("minutes"))["minutes"]
    for _attempt in range(5):
        certificate = Certificate(
            venue_id=volunteer.venue_id,
            volunteer=volunteer,
            code=new_code(),
            period_start=start,
            period_end=end,
            minutes=minutes,
            shifts=totals["shifts"],
            stars=selectors.settings_of(volunteer.venue_id).stars_for(int(all_minutes or 0)),
            details=_details(volunteer, start, end),
            holder_name_encrypted=volunteer.name_encrypted,
            holder_name_masked=volunteer.name_masked,
            holder_id_masked=volunteer.id_masked,
            holder_number=volunteer.number,
            issued_at=timezone.now(),
            issued_by=actor_or_none(actor),
        )
        try:
            with transaction.atomic():
                certificate.save()
            break
        except IntegrityError:  # a code drawn twice: draw again
            continue
    else:  # pragma: no cover  (30^12 codes)
        raise ConflictError(_("Busy, please try again."))
    audit_record(
        actor=actor_or_none(actor),
        action="volunteer_certificate.issue",
        target=certificate,
        after=snapshot(certificate, ["code", "period_start", "period_end", "minutes", "shifts"]),
        venue=volunteer.venue,
    )
    return certificate


@transaction.atomic
def certificate_revoke(*, actor: Actor, certificate: Certificate, reason: str) -> Certificate:
    """Withdraw a certificate issued in error; the verification page then says so."""
    require_volunteers(actor, certificate.volunteer.venue)
    if not reason.strip():
        raise ApplicationError.for_field("reason", _("Give the reason."))
    locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if locked.revoked_at is not None:
        raise ConflictError(_("This certificate was revoked already."))
    locked.revoked_at, locked.revoke_reason = timezone.now(), reason.strip()[:300]
    locked.save(update_fields=["revoked_at", "revoke_reason"])
    audit_record(
        actor=actor,
        action="volunteer_certificate.revoke",
        target=locked,
        after={"reason": locked.revoke_reason},
        venue=certificate.volunteer.venue,
    )
    return locked


def certificate_verify(code: str) -> Certificate:
    """The certificate with this code (valid or revoked), for the public verification page."""
    found = (
        Certificate.objects.filter(code=normalise_code(code))
        .select_related("venue__organisation")
        .first()
    )
    if found is None:
        raise NotFoundError(_("No certificate has this code."))
    return found


def certificate_pdf(
    *, actor: Actor, certificate: Certificate, verify_url: str, language: str = "zh-hans"
) -> bytes:
    """The certificate as a PDF (A4 landscape, Noto CJK fonts), with the full name of the
    holder for them or their coordinator; each download is audited."""
    from weasyprint import HTML  # a heavy import, only where PDFs are made

    volunteer = certificate.volunteer
    require_own_or_coordinator(actor, volunteer)
    name = (
        full_name(volunteer)
        if certificate.holder_name_encrypted and volunteer.name_encrypted
        else certificate.holder_name_masked
    )
    qr = segno.make(verify_url, error="m")
    qr_uri = "data:image/svg+xml;base64," + base64.b64encode(
        qr.svg_inline(scale=3, dark="#222222").encode()
    ).decode("ascii")
    with translation.override(language):
        html = render_to_string(
            "volunteers/certificate_pdf.html",
            {
                "certificate": certificate,
                "venue": certificate.venue,
                "name": name,
                "qr": qr_uri,
                "verify_url": verify_url,
                "english": language.startswith("en"),
                "posts": [
                    {**post, "hours": hours_from_minutes(post["minutes"])}
                    for post in certificate.details.get("posts", [])
                ],
                "star_slots": range(5),
            },
        )
    audit_record(
        actor=actor_or_none(actor),
        action="volunteer_certificate.download",
        target=certificate,
        after={"language": language},
        venue=certificate.venue,
    )
    pdf: bytes = HTML(string=html).write_pdf()
    return pdf
