"""Statistics in the API: indicators of a venue, an alliance or the whole network for a period,
what staff enter by hand (figures, honours, special exhibitions, report narratives), and the
yearly reports in every format. Reads and writes go through ``kepu.stats`` selectors and services,
which apply the scope rules: another venue's figures answer 404."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from kepu.api.views import ScopedListView, parse_int, validated
from kepu.core.errors import ApplicationError
from kepu.network.models import Hall
from kepu.network.selectors import venue_get
from kepu.programs.models import Exhibition
from kepu.programs.services.registry import EXHIBITION_FIELDS, exhibition_save
from kepu.stats import selectors, services
from kepu.stats.downloads import download, report_bytes, report_filename
from kepu.stats.indicators import Figures
from kepu.stats.models import Honour, ManualFigure, ReportKind
from kepu.stats.periods import Period
from kepu.stats.reports.sections import SECTIONS

PERIOD = OpenApiParameter(
    "period",
    str,
    description="2024, 2024-Q2, 2024-05 or 2024-03-01..2024-06-30 (default: this year)",
)


def _period(request: Request) -> Period:
    text = request.query_params.get("period", "").strip()
    if not text:
        from django.utils import timezone

        return Period.year(timezone.localdate().year)
    return Period.parse(text)


def _figures(figures: Figures) -> dict[str, Any]:
    return {key: value.as_json() for key, value in figures.items()}


def _period_json(period: Period) -> dict[str, str]:
    return {"code": period.code, "start": period.start.isoformat(), "end": period.end.isoformat()}


class VenueIndicatorsView(GenericAPIView):  # type: ignore[type-arg]
    @extend_schema(
        parameters=[PERIOD],
        responses={200: OpenApiTypes.OBJECT},
        description="Every indicator of the venue for the period, with its source and whether it "
        "is approximate or entered by hand, and the same for the previous period.",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        data = selectors.venue_figures(
            user=request.user, venue_id=venue_id, period=_period(request)
        )
        return Response(
            {
                "venue": data.venue.name,
                "venue_id": data.venue.pk,
                "period": _period_json(data.period),
                "indicators": _figures(data.figures),
                "previous_period": _period_json(data.previous_period),
                "previous": _figures(data.previous),
            }
        )


def _rollup_json(table: selectors.RollupTable) -> dict[str, Any]:
    return {
        "period": _period_json(table.period),
        "venues": [
            {
                "venue_id": row.venue.pk,
                "venue": row.venue.name,
                "indicators": _figures(row.figures),
                "ratios": {k: (float(v) if v is not None else None) for k, v in row.ratios.items()},
            }
            for row in table.rows
        ],
        "totals": _figures(table.totals),
        "ratios": {k: (float(v) if v is not None else None) for k, v in table.ratios.items()},
    }


SORT = OpenApiParameter("sort", str, description="An indicator key, a ratio, or name")


class AllianceIndicatorsView(GenericAPIView):  # type: ignore[type-arg]
    @extend_schema(
        parameters=[PERIOD, SORT],
        responses={200: OpenApiTypes.OBJECT},
        description="Each current member venue's indicators and the totals (for coordinators).",
    )
    def get(self, request: Request, alliance_id: int) -> Response:
        alliance, table = selectors.alliance_table(
            user=request.user,
            alliance_id=alliance_id,
            period=_period(request),
            sort=request.query_params.get("sort", "visits_total"),
        )
        return Response(
            {"alliance": alliance.name, "alliance_id": alliance.pk, **_rollup_json(table)}
        )


class NetworkIndicatorsView(GenericAPIView):  # type: ignore[type-arg]
    @extend_schema(
        parameters=[PERIOD, SORT],
        responses={200: OpenApiTypes.OBJECT},
        description="Every venue's indicators and the network's totals (national administrators).",
    )
    def get(self, request: Request) -> Response:
        table = selectors.network_table(
            user=request.user,
            period=_period(request),
            sort=request.query_params.get("sort", "visits_total"),
        )
        return Response(_rollup_json(table))


class ManualFigureSerializer(serializers.ModelSerializer[ManualFigure]):
    entered_by = serializers.CharField(source="entered_by.username", read_only=True, default=None)

    class Meta:
        model = ManualFigure
        fields = ("id", *services.MANUAL_FIELDS, "entered_by", "entered_at")
        read_only_fields = ("id", "entered_by", "entered_at")
        validators: list[Any] = []


class ManualFigureListView(ScopedListView):
    serializer_class = ManualFigureSerializer

    @extend_schema(
        parameters=[OpenApiParameter("year", int)],
        description="Figures entered by hand for the venue (funding, staff, media).",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        raw = request.query_params.get("year", "")
        year = parse_int(raw, "year") if raw else None
        return self.list_response(
            selectors.venue_manual_figures(user=request.user, venue_id=venue_id, year=year)
        )

    @extend_schema(
        request=ManualFigureSerializer,
        responses={201: ManualFigureSerializer},
        description="Enter a figure for a period; the same figure and period again replaces it.",
    )
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        figure = services.manual_figure_set(
            actor=request.user, venue=venue, data=validated(ManualFigureSerializer, request)
        )
        return Response(ManualFigureSerializer(figure).data, status=status.HTTP_201_CREATED)


class HonourSerializer(serializers.ModelSerializer[Honour]):
    class Meta:
        model = Honour
        fields = ("id", *services.HONOUR_FIELDS)
        read_only_fields = ("id",)
        validators: list[Any] = []


class HonourListView(ScopedListView):
    serializer_class = HonourSerializer

    @extend_schema(parameters=[OpenApiParameter("year", int)], description="The venue's honours.")
    def get(self, request: Request, venue_id: int) -> Response:
        raw = request.query_params.get("year", "")
        year = parse_int(raw, "year") if raw else None
        return self.list_response(
            selectors.venue_honours(user=request.user, venue_id=venue_id, year=year)
        )

    @extend_schema(request=HonourSerializer, responses={201: HonourSerializer})
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        honour = services.honour_save(
            actor=request.user, venue=venue, data=validated(HonourSerializer, request)
        )
        return Response(HonourSerializer(honour).data, status=status.HTTP_201_CREATED)


class ExhibitionSerializer(serializers.ModelSerializer[Exhibition]):
    hall = serializers.PrimaryKeyRelatedField(
        queryset=Hall.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Exhibition
        fields = ("id", *EXHIBITION_FIELDS)
        read_only_fields = ("id",)
        validators: list[Any] = []


class ExhibitionListView(ScopedListView):
    serializer_class = ExhibitionSerializer

    @extend_schema(description="The venue's special exhibitions, latest first.")
    def get(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        return self.list_response(venue.exhibitions.order_by("-starts_on"))

    @extend_schema(request=ExhibitionSerializer, responses={201: ExhibitionSerializer})
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        exhibition = exhibition_save(
            actor=request.user, venue=venue, data=validated(ExhibitionSerializer, request)
        )
        return Response(ExhibitionSerializer(exhibition).data, status=status.HTTP_201_CREATED)


def _kind(kind: str) -> str:
    if kind not in ReportKind.values:
        raise ApplicationError.for_field(
            "report",
            _("Choose the report self-evaluation, institution-annual or annual-review."),
        )
    return kind


class FileNegotiation(DefaultContentNegotiation):
    """``?format=`` names the report's file format here, not DRF's renderer."""

    def select_renderer(
        self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None
    ) -> tuple[BaseRenderer, str]:
        first = next(iter(renderers))
        return first, first.media_type


class ReportView(GenericAPIView):  # type: ignore[type-arg]
    content_negotiation_class = FileNegotiation

    @extend_schema(
        parameters=[
            OpenApiParameter("format", str, enum=["json", "docx", "pdf", "xlsx"]),
            OpenApiParameter("lang", str, enum=["zh-hans", "en"]),
        ],
        responses={200: OpenApiTypes.BINARY},
        description="The venue's yearly report: JSON (indicators), DOCX, PDF or XLSX.",
    )
    def get(self, request: Request, venue_id: int, kind: str, year: int) -> Response | HttpResponse:
        fmt = request.query_params.get("format", "json")
        lang = request.query_params.get("lang", "zh-hans")
        if fmt not in {"json", "docx", "pdf", "xlsx"}:
            raise ApplicationError.for_field(
                "format", _("Choose the format json, docx, pdf or xlsx.")
            )
        if lang not in {"zh-hans", "en"}:
            raise ApplicationError.for_field("lang", _("Choose the language zh-hans or en."))
        report = selectors.venue_report(
            user=request.user, venue_id=venue_id, kind=_kind(kind), year=year, language=lang
        )
        if fmt == "json":
            return Response(report.as_json())
        return download(report_bytes(report, fmt), fmt, report_filename(report))


class ReportTextsSerializer(serializers.Serializer[Any]):
    texts = serializers.DictField(
        child=serializers.DictField(
            child=serializers.CharField(allow_blank=True, max_length=20_000)
        ),
        help_text='{"featured": {"text": "…", "text_en": "…"}, …}',
    )


class ReportTextsView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = ReportTextsSerializer

    def _texts(self, request: Request, venue_id: int, kind: str, year: int) -> dict[str, Any]:
        found = selectors.report_texts(user=request.user, venue_id=venue_id, year=year, report=kind)
        return {
            "report": kind,
            "year": year,
            "sections": [
                {
                    "key": section.key,
                    "label": str(section.label),
                    "text": found[section.key].text if section.key in found else "",
                    "text_en": found[section.key].text_en if section.key in found else "",
                }
                for section in SECTIONS[kind]
            ],
        }

    @extend_schema(
        responses={200: OpenApiTypes.OBJECT}, description="The report's narrative parts."
    )
    def get(self, request: Request, venue_id: int, kind: str, year: int) -> Response:
        return Response(self._texts(request, venue_id, _kind(kind), year))

    @extend_schema(
        request=ReportTextsSerializer,
        responses={200: OpenApiTypes.OBJECT},
        description="Save some or all narrative parts; sections not given stay as they are.",
    )
    def put(self, request: Request, venue_id: int, kind: str, year: int) -> Response:
        kind = _kind(kind)
        venue = venue_get(user=request.user, venue_id=venue_id)
        data = validated(ReportTextsSerializer, request)["texts"]
        services.report_texts_save(
            actor=request.user,
            venue=venue,
            year=year,
            report=kind,
            texts={
                key: (value.get("text", ""), value.get("text_en", ""))
                for key, value in data.items()
            },
        )
        return Response(self._texts(request, venue_id, kind, year))
