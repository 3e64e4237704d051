"""What the statistics add to the records of daily work: figures no module records yet (entered
by hand, with who and when), honours received, and the narrative parts of the yearly reports.

Reports never hold numbers of their own: every figure in them comes from an indicator.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kepu.network.models import Venue


class ManualKey(models.TextChoices):
    """Figures entered by hand for a venue and period, until a module records them."""

    FUNDING_CNY = "funding_cny", _("Funding for science popularization (CNY)")
    STAFF_FULLTIME = "staff_fulltime", _("Full-time science popularization staff")
    STAFF_PARTTIME = "staff_parttime", _("Part-time science popularization staff")
    MEDIA_POSTS = "media_posts", _("Posts published on media platforms")
    MEDIA_READS = "media_reads", _("Reads of the posts")


# Stocks are read at the end of the period; flows add up over it.
STOCK_KEYS = frozenset({ManualKey.STAFF_FULLTIME, ManualKey.STAFF_PARTTIME})


class ManualFigure(models.Model):
    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="manual_figures", verbose_name=_("venue")
    )
    key = models.CharField(_("figure"), max_length=32, choices=ManualKey.choices)
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period to"))
    value = models.DecimalField(_("value"), max_digits=16, decimal_places=2)
    approximate = models.BooleanField(
        _("approximate"), default=False, help_text=_("The source says 约, 余 or 近.")
    )
    note = models.CharField(_("source or note"), max_length=255, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now)

    class Meta:
        verbose_name = _("manual figure")
        verbose_name_plural = _("manual figures")
        ordering = ("venue", "key", "-starts_on")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "key", "starts_on", "ends_on"], name="one_manual_figure"
            ),
            models.CheckConstraint(
                name="manual_period_ordered", condition=Q(ends_on__gte=F("starts_on"))
            ),
            models.CheckConstraint(name="manual_value_not_negative", condition=Q(value__gte=0)),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.key} {self.starts_on}..{self.ends_on}: {self.value}"


class HonourLevel(models.TextChoices):
    INTERNATIONAL = "international", _("International")
    NATIONAL = "national", _("National")
    PROVINCIAL = "provincial", _("Provincial")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    OTHER = "other", _("Other")


class Honour(models.Model):
    """An award, title or prize the venue, its staff or its work received (荣誉)."""

    class Recipient(models.TextChoices):
        VENUE = "venue", _("The venue")
        STAFF = "staff", _("Staff")
        WORK = "work", _("A work or activity")

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="honours", verbose_name=_("venue")
    )
    awarded_on = models.DateField(_("awarded on"))
    title = models.CharField(_("honour"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    awarded_by = models.CharField(_("awarded by"), max_length=200, blank=True)
    level = models.CharField(
        _("level"), max_length=16, choices=HonourLevel.choices, default=HonourLevel.PROVINCIAL
    )
    recipient = models.CharField(
        _("recipient"), max_length=8, choices=Recipient.choices, default=Recipient.VENUE
    )
    count = models.PositiveSmallIntegerField(
        _("number of awards"), default=1, help_text=_("e.g. 2 for 二等奖2项")
    )

    class Meta:
        verbose_name = _("honour")
        verbose_name_plural = _("honours")
        ordering = ("venue", "-awarded_on", "title")
        constraints = [
            models.UniqueConstraint(fields=["venue", "title", "awarded_on"], name="unique_honour"),
            models.CheckConstraint(name="honour_count_positive", condition=Q(count__gte=1)),
        ]

    def __str__(self) -> str:
        return self.title


class ReportKind(models.TextChoices):
    SELF_EVALUATION = "self-evaluation", _("Performance self-evaluation report")
    INSTITUTION_ANNUAL = "institution-annual", _("Public-institution annual report")
    ANNUAL_REVIEW = "annual-review", _("Annual review")


class ReportText(models.Model):
    """A narrative part of a yearly report, written by staff (featured work, problems, plans…)."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="report_texts", verbose_name=_("venue")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    report = models.CharField(_("report"), max_length=24, choices=ReportKind.choices)
    section = models.CharField(_("section"), max_length=40)
    text = models.TextField(_("text"), blank=True)
    text_en = models.TextField(_("English text"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("report text")
        verbose_name_plural = _("report texts")
        ordering = ("venue", "-year", "report", "section")
        constraints = [
            models.UniqueConstraint(
                fields=["venue", "year", "report", "section"], name="one_report_text"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.venue_id} {self.year} {self.report} {self.section}"
