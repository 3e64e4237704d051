"""The narrative parts of each report, which staff write in the app (the rest is computed)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kepu.stats.models import ReportKind


@dataclass(frozen=True)
class Section:
    key: str
    label: Promise
    hint: Promise | None = None
    default: Promise | None = None  # used when staff have written nothing


SECTIONS: dict[str, tuple[Section, ...]] = {
    ReportKind.SELF_EVALUATION: (
        Section("intro", _("Opening paragraph"), _("Who the base is and what the report covers.")),
        Section(
            "organisation",
            _("Organisation and management of the science popularization work"),
            _("Who leads the work, which department carries it out, which rules you follow."),
        ),
        Section(
            "basics",
            _("Basic conditions of the public service (additions)"),
            _("Anything to add to the computed opening days, halls and visits."),
        ),
        Section("activities", _("Activities (additions)"), _("Highlights beyond the figures.")),
        Section("media", _("Online platforms"), _("Account names and links of your platforms.")),
        Section(
            "st_workers",
            _("Mobilising S&T workers (additions)"),
            _("How S&T workers and volunteers took part."),
        ),
        Section("featured", _("Featured work")),
        Section("problems", _("Problems and shortcomings")),
        Section("suggestions", _("Suggestions for the work")),
    ),
    ReportKind.INSTITUTION_ANNUAL: (
        Section(
            "compliance",
            _("Compliance with the registration regulations"),
            default=_(
                "The institution complied with the relevant laws and regulations and carried out "
                "its activities within its purpose and business scope; no change of registration "
                "was involved."
            ),
        ),
        Section(
            "activities",
            _("Business activities"),
            _("The computed key figures come first; write the rest of the account here."),
        ),
        Section("licences", _("Qualifications and licences, with validity"), default=_("None")),
        Section(
            "performance",
            _("Performance, rewards and penalties, lawsuits and complaints (additions)"),
            _("The honours recorded for the year are listed automatically."),
        ),
        Section("donations", _("Donations and grants received and their use"), default=_("None")),
    ),
    ReportKind.ANNUAL_REVIEW: (
        Section("intro", _("Opening paragraph")),
        Section("service", _("Keyword: science popularization service (additions)")),
        Section("cooperation", _("Keyword: education, innovation and cooperation (additions)")),
        Section("brand", _("Keyword: brand building (additions)")),
    ),
}


def section_keys(report: str) -> frozenset[str]:
    return frozenset(section.key for section in SECTIONS[report])
