"""Statistics pages: a venue's indicators and dashboard, its reports, what staff enter by hand,
and the alliance and network roll-ups. Views stay thin: selectors read, services write."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import ApplicationError
from kepu.core.forms import form_page, submit
from kepu.core.params import year_param
from kepu.core.scopes import Capability, scope_for
from kepu.network.selectors import venue_get
from kepu.programs.services import registry
from kepu.stats import selectors, services
from kepu.stats.downloads import download, report_bytes, report_filename
from kepu.stats.forms import (
    DownloadForm,
    ExhibitionForm,
    HonourForm,
    ManualFigureForm,
    ReportTextsForm,
)
from kepu.stats.indicators import INDICATORS
from kepu.stats.models import ReportKind
from kepu.stats.periods import FIRST_YEAR, LAST_YEAR, Period
from kepu.stats.reports import indicators_xlsx
from kepu.stats.reports.content import indicator_rows
from kepu.stats.reports.render import rollup_xlsx


def _reporting_year() -> int:
    """The year the statistics pages open on: last year until March, while its figures are
    still being completed and reported."""
    today = timezone.localdate()
    return today.year - 1 if today.month < 3 else today.year


def _period(request: HttpRequest) -> Period:
    text = request.GET.get("period", "").strip()
    if not text:
        return Period.year(_reporting_year())
    try:
        return Period.parse(text)
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return Period.year(timezone.localdate().year)


def _year(request: HttpRequest) -> int:
    return year_param(request, default=_reporting_year(), first=FIRST_YEAR, last=LAST_YEAR)


def _language(request: HttpRequest) -> str:
    lang = request.GET.get("lang") or get_language() or "zh-hans"
    return "en" if lang.startswith("en") else "zh-hans"


def _kind(kind: str) -> str:
    if kind not in ReportKind.values:
        raise Http404
    return kind


def _can_manage(request: HttpRequest, venue_id: int) -> bool:
    return scope_for(request.user).can(Capability.MANAGE_REPORTS, venue_id)


def venue_statistics(request: HttpRequest, venue_id: int) -> HttpResponse:
    period = _period(request)
    data = selectors.venue_figures(user=request.user, venue_id=venue_id, period=period)
    if request.GET.get("format") == "xlsx":
        content = indicators_xlsx(
            [(data.venue.display_name, data.figures, data.previous)],
            title=_("Indicators of %(venue)s, %(period)s")
            % {"venue": data.venue.display_name, "period": period.label},
            language=_language(request),
            period=period.code,
        )
        return download(content, "xlsx", f"{data.venue.name}-{period.code}-indicators")
    return render(
        request,
        "stats/venue_statistics.html",
        {
            "venue": data.venue,
            "period": period,
            "previous_period": data.previous_period,
            "rows": indicator_rows(data.figures, data.previous),
            "can_manage": _can_manage(request, data.venue.pk),
            "tab": "indicators",
            "years": _years(),
        },
    )


def _years() -> list[int]:
    this = timezone.localdate().year
    return list(range(this, this - 6, -1))


def venue_dashboard(request: HttpRequest, venue_id: int) -> HttpResponse:
    board = selectors.dashboard(user=request.user, venue_id=venue_id, year=_year(request))
    return render(
        request,
        "stats/dashboard.html",
        {
            "venue": board.venue,
            "board": board,
            "year": board.year,
            "years": _years(),
            "tab": "dashboard",
            "map": _map_points(board.outreach, board.venue),
            "can_manage": _can_manage(request, board.venue.pk),
        },
    )


def _map_points(places: list[dict[str, Any]], venue: Any) -> dict[str, Any]:
    """Outreach places projected onto an SVG box (longitude/latitude, equirectangular)."""
    points = [p for p in places if p.get("lat") is not None and p.get("lon") is not None]
    home = None
    if venue.division is not None and venue.division.latitude is not None:
        home = (float(venue.division.longitude), float(venue.division.latitude))
    coords = [(float(p["lon"]), float(p["lat"])) for p in points] + ([home] if home else [])
    if not coords:
        return {"points": [], "missing": len(places)}
    west, east = min(c[0] for c in coords) - 0.3, max(c[0] for c in coords) + 0.3
    south, north = min(c[1] for c in coords) - 0.3, max(c[1] for c in coords) + 0.3
    width, height = 600, 360
    scale = min(width / (east - west), height / (north - south))
    top = max((p["people"] for p in points), default=1) or 1

    def project(lon: float, lat: float) -> tuple[float, float]:
        return round(20 + (lon - west) * scale, 1), round(20 + (north - lat) * scale, 1)

    shown = []
    for place in points:
        x, y = project(float(place["lon"]), float(place["lat"]))
        shown.append(
            {**place, "x": x, "y": y, "r": round(4 + 20 * (place["people"] / top) ** 0.5, 1)}
        )
    return {
        "points": shown,
        "home": project(*home) if home else None,
        "width": round(40 + (east - west) * scale),
        "height": round(40 + (north - south) * scale),
        "missing": len(places) - len(points),
    }


def venue_reports(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id)
    year = _year(request)
    return render(
        request,
        "stats/reports.html",
        {
            "venue": venue,
            "year": year,
            "years": _years(),
            "kinds": ReportKind.choices,
            "form": DownloadForm(initial={"lang": _language(request)}),
            "can_manage": _can_manage(request, venue.pk),
            "tab": "reports",
        },
    )


def report_preview(request: HttpRequest, venue_id: int, kind: str, year: int) -> HttpResponse:
    from kepu.stats.reports import report_html

    report = selectors.venue_report(
        user=request.user,
        venue_id=venue_id,
        kind=_kind(kind),
        year=year,
        language=_language(request),
    )
    return render(
        request,
        "stats/report_preview.html",
        {
            "venue": report.venue,
            "report": report,
            "document": mark_safe(report_html(report, standalone=False)),  # noqa: S308  (rendered by a template, escaped there)
            "form": DownloadForm(initial={"lang": report.language}),
            "can_manage": _can_manage(request, report.venue.pk),
            "tab": "reports",
        },
    )


def report_download(request: HttpRequest, venue_id: int, kind: str, year: int) -> HttpResponse:
    # Readers of other venues get the 404 before their choice of format is looked at.
    venue = venue_get(user=request.user, venue_id=venue_id)
    form = DownloadForm(request.GET)
    if not form.is_valid():
        messages.error(request, _("Choose a format and a language."))
        return redirect(reverse("stats-reports", args=[venue.pk]) + f"?year={year}")
    report = selectors.report_of_venue(
        venue=venue, kind=_kind(kind), year=year, language=form.cleaned_data["lang"]
    )
    fmt = form.cleaned_data["format"]
    return download(report_bytes(report, fmt), fmt, report_filename(report))


def report_edit(request: HttpRequest, venue_id: int, kind: str, year: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_REPORTS)
    kind = _kind(kind)
    texts = selectors.report_texts(user=request.user, venue_id=venue.pk, year=year, report=kind)
    form = ReportTextsForm(request.POST or None, report=kind, texts=texts)
    preview = reverse("stats-report", args=[venue.pk, kind, year])
    return form_page(
        request,
        form=form,
        action=lambda: services.report_texts_save(
            actor=request.user, venue=venue, year=year, report=kind, texts=form.texts()
        ),
        title=_("%(report)s %(year)s: the parts staff write")
        % {"report": ReportKind(kind).label, "year": year},
        cancel_url=preview,
        success_url=preview,
        success_message=_("Saved. The report now shows your text."),
    )


def manual_figures(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id)
    year = _year(request)
    can_manage = _can_manage(request, venue.pk)
    form = ManualFigureForm(
        request.POST or None,
        initial={"starts_on": f"{year}-01-01", "ends_on": f"{year}-12-31"},
    )
    if request.method == "POST":
        if not can_manage:
            venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_REPORTS)
        saved = submit(
            request,
            form,
            lambda: services.manual_figure_set(
                actor=request.user, venue=venue, data=form.cleaned_data
            ),
        )
        if saved is not None:
            messages.success(request, _("Saved."))
            return redirect(
                reverse("stats-manual", args=[venue.pk]) + f"?year={saved.starts_on.year}"
            )
    return render(
        request,
        "stats/manual.html",
        {
            "venue": venue,
            "year": year,
            "years": _years(),
            "figures": selectors.venue_manual_figures(
                user=request.user, venue_id=venue.pk, year=year
            ),
            "form": form,
            "can_manage": can_manage,
            "tab": "manual",
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def manual_figure_delete(request: HttpRequest, venue_id: int, figure_id: int) -> HttpResponse:
    figure = (
        selectors.venue_manual_figures(user=request.user, venue_id=venue_id)
        .filter(pk=figure_id)
        .first()
    )
    if figure is None:
        raise Http404
    services.manual_figure_delete(actor=request.user, figure=figure)
    messages.success(request, _("Deleted."))
    return redirect(reverse("stats-manual", args=[venue_id]) + f"?year={figure.starts_on.year}")


def records(request: HttpRequest, venue_id: int) -> HttpResponse:
    """Honours and special exhibitions: the records reports quote that no other page keeps."""
    venue = venue_get(user=request.user, venue_id=venue_id)
    year = _year(request)
    return render(
        request,
        "stats/records.html",
        {
            "venue": venue,
            "year": year,
            "years": _years(),
            "honours": selectors.venue_honours(user=request.user, venue_id=venue.pk, year=year),
            "exhibitions": venue.exhibitions.filter(
                starts_on__year__lte=year, ends_on__year__gte=year
            ).select_related("hall"),
            "can_manage": _can_manage(request, venue.pk),
            "tab": "records",
        },
    )


def honour_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_REPORTS)
    form = HonourForm(request.POST or None)
    back = reverse("stats-records", args=[venue.pk])
    return form_page(
        request,
        form=form,
        action=lambda: services.honour_save(
            actor=request.user, venue=venue, data=form.cleaned_data
        ),
        title=_("New honour"),
        cancel_url=back,
        success_url=lambda honour: f"{back}?year={honour.awarded_on.year}",
        success_message=_("Saved."),
    )


@require_POST
def honour_delete(request: HttpRequest, venue_id: int, honour_id: int) -> HttpResponse:
    honour = (
        selectors.venue_honours(user=request.user, venue_id=venue_id).filter(pk=honour_id).first()
    )
    if honour is None:
        raise Http404
    services.honour_delete(actor=request.user, honour=honour)
    messages.success(request, _("Deleted."))
    return redirect(reverse("stats-records", args=[venue_id]) + f"?year={honour.awarded_on.year}")


def exhibition_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    form = ExhibitionForm(request.POST or None, venue=venue)
    back = reverse("stats-records", args=[venue.pk])
    return form_page(
        request,
        form=form,
        action=lambda: registry.exhibition_save(
            actor=request.user, venue=venue, data=form.cleaned_data
        ),
        title=_("New special exhibition"),
        cancel_url=back,
        success_url=lambda exhibition: f"{back}?year={exhibition.starts_on.year}",
        success_message=_("Saved."),
    )


def _sort(request: HttpRequest) -> tuple[str, bool]:
    sort = request.GET.get("sort", "visits_total")
    if sort not in selectors.SORTABLE and sort != "name":
        sort = "visits_total"
    return sort, request.GET.get("dir", "desc") != "asc"


def _rollup_page(
    request: HttpRequest, table: selectors.RollupTable, context: dict[str, Any]
) -> HttpResponse:
    ratio_labels = [
        ("visits_per_m2", _("Visits per m²")),
        ("visits_per_staff", _("Visits per full-time staff")),
    ]
    if request.GET.get("format") == "xlsx":
        content = rollup_xlsx(
            [(row.venue.display_name, row.figures, row.ratios) for row in table.rows],
            (table.totals, table.ratios),
            title=context["heading"],
            language=_language(request),
            ratio_labels=ratio_labels,
        )
        return download(content, "xlsx", f"{context['filename']}-{table.period.code}")
    columns = [(key, INDICATORS[key].label) for key in selectors.SORTABLE if key in INDICATORS]
    return render(
        request,
        "stats/rollup.html",
        {
            **context,
            "table": table,
            "columns": columns,
            "ratios": ratio_labels,
            "years": _years(),
        },
    )


def alliance_statistics(request: HttpRequest, alliance_id: int) -> HttpResponse:
    sort, descending = _sort(request)
    alliance, table = selectors.alliance_table(
        user=request.user,
        alliance_id=alliance_id,
        period=_period(request),
        sort=sort,
        descending=descending,
    )
    return _rollup_page(
        request,
        table,
        {
            "alliance": alliance,
            "heading": _("Indicators of the members of %(alliance)s, %(period)s")
            % {"alliance": alliance.display_name, "period": table.period.label},
            "filename": alliance.name,
        },
    )


def network_statistics(request: HttpRequest) -> HttpResponse:
    sort, descending = _sort(request)
    table = selectors.network_table(
        user=request.user, period=_period(request), sort=sort, descending=descending
    )
    return _rollup_page(
        request,
        table,
        {
            "heading": _("Indicators of the whole network, %(period)s")
            % {"period": table.period.label},
            "filename": "network",
        },
    )
