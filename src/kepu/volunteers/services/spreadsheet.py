"""The coordinator's workbook: the volunteer roll with hours and stars (personal data masked),
and hours by team and month. Every figure is summed from the service records."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import TYPE_CHECKING

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from kepu.core.spreadsheets import format_table
from kepu.network.models import Venue
from kepu.volunteers import selectors
from kepu.volunteers.models import Category, VolunteerStatus, hours_from_minutes

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


def volunteers_export(*, user: Actor, venue: Venue, year: int, language: str) -> bytes:
    """Two sheets: the roll (one row per volunteer) and the hours of ``year`` by team and
    month. Names and numbers are masked as on screen."""
    volunteers = list(selectors.volunteer_list(user=user, venue_id=venue.pk))
    this_year = selectors.served([v.pk for v in volunteers], date(year, 1, 1), date(year, 12, 31))
    rules = selectors.settings_of(venue.pk)
    workbook = Workbook()
    roll = workbook.active
    with translation.override(language):
        roll.title = _("Volunteers")
        roll.append(
            [
                _("Volunteer number"),
                _("Full name"),
                _("Category"),
                _("Status"),
                _("Team"),
                _("College or work unit"),
                _("Mobile"),
                _("Joined on"),
                _("Appointed on"),
                _("Left on"),
                _("Hours in total"),
                _("Stars"),
                _("Hours in %(year)s") % {"year": year},
                _("Shifts in %(year)s") % {"year": year},
                _("Guided tours in %(year)s") % {"year": year},
                _("No-shows in %(year)s") % {"year": year},
            ]
        )
        for volunteer in volunteers:
            served = this_year.get(volunteer.pk, selectors.Served())
            minutes_total = int(getattr(volunteer, "minutes_total", 0) or 0)
            roll.append(
                [
                    volunteer.number,
                    volunteer.name_masked,
                    str(Category(volunteer.category).label),
                    str(VolunteerStatus(volunteer.status).label),
                    volunteer.team.name if volunteer.team else "",
                    volunteer.college.name if volunteer.college else volunteer.organisation,
                    volunteer.phone_masked,
                    volunteer.joined_on,
                    volunteer.appointed_on,
                    volunteer.left_on,
                    hours_from_minutes(minutes_total),
                    rules.stars_for(minutes_total),
                    served.hours,
                    served.shifts,
                    served.tours,
                    served.no_shows,
                ]
            )
        format_table(roll)
        months = workbook.create_sheet(_("Hours by team and month"))
        months.append([_("Team"), *[_("Month %(n)s") % {"n": n} for n in range(1, 13)], _("Total")])
        table = selectors.hours_by_team_month(venue.pk, year, no_team=_("No team"))
        for row in table:
            months.append([row.team, *row.hours, row.total_hours])
        if table:
            column_totals = [sum((r.months[i] for r in table), 0) for i in range(12)]
            months.append(
                [
                    _("All teams"),
                    *[hours_from_minutes(m) for m in column_totals],
                    hours_from_minutes(sum(column_totals)),
                ]
            )
        format_table(months)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
