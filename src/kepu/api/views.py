"""API endpoints: parse and validate input, call one selector or service, serialize the result."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request
from rest_framework.response import Response

from kepu.api import serializers as s
from kepu.core.errors import ApplicationError, NotFoundError
from kepu.network import selectors, services
from kepu.network.models import (
    CalendarException,
    Division,
    Hall,
    Membership,
    OpeningPattern,
    OrganisationYear,
)
from kepu.network.opening import OpeningCalendar


def validated(
    serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
    request: Request,
    *,
    partial: bool = False,
) -> dict[str, Any]:
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def validated_shared(
    serializer: serializers.Serializer,  # type: ignore[type-arg]
    request: Request,
) -> dict[str, Any]:
    """``validated`` with a serializer built once per process, for the busiest endpoints: the
    same checks and the same errors, without building its fields again for every request."""
    return dict(serializer.run_validation(request.data))


def parse_date(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ApplicationError.for_field(
            field, _("Enter a date as YYYY-MM-DD, for example 2024-10-01.")
        ) from error


def parse_int(value: str, field: str) -> int:
    if not value.strip().lstrip("-").isdigit():
        raise ApplicationError.for_field(field, _("Enter a whole number."))
    return int(value)


class ScopedListView(ListModelMixin, GenericAPIView):  # type: ignore[type-arg]
    """GET lists the selector's rows a page at a time (ListModelMixin: a list in OpenAPI)."""

    def list_response(self, queryset: QuerySet[Any]) -> Response:
        page = self.paginate_queryset(queryset)
        serializer = self.get_serializer(page, many=True)
        return self.get_paginated_response(serializer.data)


# Venues ----------------------------------------------------------------------------------------


class VenueListView(ScopedListView):
    serializer_class = s.VenueSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("kind", str),
            OpenApiParameter("level", str),
            OpenApiParameter("province", str, description="Province code, e.g. 220000"),
            OpenApiParameter("alliance", int),
            OpenApiParameter("q", str, description="Search in names"),
        ]
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        alliance = params.get("alliance", "")
        return self.list_response(
            selectors.venue_list(
                user=request.user,
                kind=params.get("kind", ""),
                level=params.get("level", ""),
                province=params.get("province", ""),
                alliance_id=parse_int(alliance, "alliance") if alliance else None,
                search=params.get("q", ""),
            )
        )

    def post(self, request: Request) -> Response:
        venue = services.venue_create(
            actor=request.user, data=validated(s.VenueSerializer, request)
        )
        return Response(s.VenueSerializer(venue).data, status=status.HTTP_201_CREATED)


class VenueDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = s.VenueSerializer

    def get(self, request: Request, venue_id: int) -> Response:
        return Response(
            self.get_serializer(selectors.venue_get(user=request.user, venue_id=venue_id)).data
        )

    def patch(self, request: Request, venue_id: int) -> Response:
        venue = selectors.venue_get(user=request.user, venue_id=venue_id)
        data = validated(s.VenueSerializer, request, partial=True)
        venue = services.venue_update(actor=request.user, venue=venue, data=data)
        return Response(self.get_serializer(venue).data)


class HallListView(ScopedListView):
    serializer_class = s.HallSerializer

    def get(self, request: Request, venue_id: int) -> Response:
        venue = selectors.venue_get(user=request.user, venue_id=venue_id)
        return self.list_response(Hall.objects.filter(venue=venue).order_by("kind", "name"))

    def post(self, request: Request, venue_id: int) -> Response:
        venue = selectors.venue_get(user=request.user, venue_id=venue_id)
        hall = services.hall_create(
            actor=request.user, venue=venue, data=validated(s.HallSerializer, request)
        )
        return Response(s.HallSerializer(hall).data, status=status.HTTP_201_CREATED)


def _hall(request: Request, venue_id: int, hall_id: int) -> Hall:
    return selectors.venue_child_get(user=request.user, venue_id=venue_id, model=Hall, pk=hall_id)


class HallDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = s.HallSerializer

    def get(self, request: Request, venue_id: int, hall_id: int) -> Response:
        return Response(self.get_serializer(_hall(request, venue_id, hall_id)).data)

    def patch(self, request: Request, venue_id: int, hall_id: int) -> Response:
        hall = _hall(request, venue_id, hall_id)
        data = validated(s.HallSerializer, request, partial=True)
        return Response(
            self.get_serializer(services.hall_update(actor=request.user, hall=hall, data=data)).data
        )


# Opening calendar ------------------------------------------------------------------------------


class CalendarView(GenericAPIView):  # type: ignore[type-arg]
    """Every day of a period: open or closed, and why; the open-day count with its provenance."""

    serializer_class = s.CalendarPeriodSerializer

    @extend_schema(
        operation_id="venues_calendar_period",
        parameters=[
            OpenApiParameter("year", int, description="A calendar year (default: this year)"),
            OpenApiParameter("start", OpenApiTypes.DATE, description="Or a period: first day"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="… and last day"),
        ],
    )
    def get(self, request: Request, venue_id: int) -> Response:
        params = request.query_params
        if params.get("start") or params.get("end"):
            start = parse_date(params.get("start", ""), "start")
            end = parse_date(params.get("end", ""), "end")
        else:
            year = selectors.check_year(
                parse_int(params.get("year", str(timezone.localdate().year)), "year")
            )
            start, end = date(year, 1, 1), date(year, 12, 31)
        venue = selectors.venue_get(user=request.user, venue_id=venue_id)
        selectors.check_period(start, end)
        opening = OpeningCalendar.for_venue(venue, start, end)
        body = s.CalendarPeriodSerializer.build(
            venue.pk, opening.summary(start, end), opening.days(start, end)
        )
        return Response(s.CalendarPeriodSerializer(body).data)


class CalendarDayView(GenericAPIView):  # type: ignore[type-arg]
    """Is the venue open on this date, and why."""

    serializer_class = s.DayStatusSerializer

    @extend_schema(operation_id="venues_calendar_day")
    def get(self, request: Request, venue_id: int, day: str) -> Response:
        status_ = selectors.venue_day_status(
            user=request.user, venue_id=venue_id, day=parse_date(day, "date")
        )
        return Response(self.get_serializer(status_).data)


class PatternListView(ScopedListView):
    serializer_class = s.OpeningPatternSerializer

    def get(self, request: Request, venue_id: int) -> Response:
        venue = selectors.venue_get(user=request.user, venue_id=venue_id)
        return self.list_response(OpeningPattern.objects.filter(venue=venue).order_by("valid_from"))

    def post(self, request: Request, venue_id: int) -> Response:
        venue = selectors.venue_get(user=request.user, venue_id=venue_id)
        pattern = services.opening_pattern_create(
            actor=request.user, venue=venue, data=validated(s.OpeningPatternSerializer, request)
        )
        return Response(s.OpeningPatternSerializer(pattern).data, status=status.HTTP_201_CREATED)


class PatternDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = s.OpeningPatternSerializer

    def _pattern(self, request: Request, venue_id: int, pattern_id: int) -> OpeningPattern:
        return selectors.venue_child_get(
            user=request.user, venue_id=venue_id, model=OpeningPattern, pk=pattern_id
        )

    def get(self, request: Request, venue_id: int, pattern_id: int) -> Response:
        return Response(self.get_serializer(self._pattern(request, venue_id, pattern_id)).data)

    def patch(self, request: Request, venue_id: int, pattern_id: int) -> Response:
        pattern = self._pattern(request, venue_id, pattern_id)
        data = validated(s.OpeningPatternSerializer, request, partial=True)
        pattern = services.opening_pattern_update(actor=request.user, pattern=pattern, data=data)
        return Response(self.get_serializer(pattern).data)


class ExceptionListView(ScopedListView):
    serializer_class = s.CalendarExceptionSerializer

    @extend_schema(parameters=[OpenApiParameter("year", int)])
    def get(self, request: Request, venue_id: int) -> Response:
        venue = selectors.venue_get(user=request.user, venue_id=venue_id)
        exceptions = CalendarException.objects.filter(venue=venue).order_by("starts_on")
        if year := request.query_params.get("year"):
            number = selectors.check_year(parse_int(year, "year"))
            exceptions = exceptions.filter(starts_on__year__lte=number, ends_on__year__gte=number)
        return self.list_response(exceptions)

    def post(self, request: Request, venue_id: int) -> Response:
        venue = selectors.venue_get(user=request.user, venue_id=venue_id)
        exception = services.calendar_exception_create(
            actor=request.user, venue=venue, data=validated(s.CalendarExceptionSerializer, request)
        )
        return Response(
            s.CalendarExceptionSerializer(exception).data, status=status.HTTP_201_CREATED
        )


class ExceptionDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = s.CalendarExceptionSerializer

    def _exception(self, request: Request, venue_id: int, exception_id: int) -> CalendarException:
        return selectors.venue_child_get(
            user=request.user, venue_id=venue_id, model=CalendarException, pk=exception_id
        )

    def get(self, request: Request, venue_id: int, exception_id: int) -> Response:
        return Response(self.get_serializer(self._exception(request, venue_id, exception_id)).data)

    def delete(self, request: Request, venue_id: int, exception_id: int) -> Response:
        exception = self._exception(request, venue_id, exception_id)
        services.calendar_exception_delete(actor=request.user, exception=exception)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Organisations ---------------------------------------------------------------------------------


class OrganisationListView(ScopedListView):
    serializer_class = s.OrganisationSerializer

    def get(self, request: Request) -> Response:
        return self.list_response(selectors.organisation_list(user=request.user))

    def post(self, request: Request) -> Response:
        organisation = services.organisation_create(
            actor=request.user, data=validated(s.OrganisationSerializer, request)
        )
        return Response(s.OrganisationSerializer(organisation).data, status=status.HTTP_201_CREATED)


class OrganisationDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = s.OrganisationSerializer

    def get(self, request: Request, organisation_id: int) -> Response:
        organisation = selectors.organisation_get(
            user=request.user, organisation_id=organisation_id
        )
        return Response(self.get_serializer(organisation).data)

    def patch(self, request: Request, organisation_id: int) -> Response:
        organisation = selectors.organisation_get(
            user=request.user, organisation_id=organisation_id
        )
        data = validated(s.OrganisationSerializer, request, partial=True)
        organisation = services.organisation_update(
            actor=request.user, organisation=organisation, data=data
        )
        return Response(self.get_serializer(organisation).data)


class OrganisationYearListView(ScopedListView):
    serializer_class = s.OrganisationYearSerializer

    def get(self, request: Request, organisation_id: int) -> Response:
        organisation = selectors.organisation_get(
            user=request.user, organisation_id=organisation_id
        )
        return self.list_response(
            OrganisationYear.objects.filter(organisation=organisation).order_by("-year")
        )


class OrganisationYearDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = s.OrganisationYearSerializer

    def get(self, request: Request, organisation_id: int, year: int) -> Response:
        organisation = selectors.organisation_get(
            user=request.user, organisation_id=organisation_id
        )
        record = OrganisationYear.objects.filter(organisation=organisation, year=year).first()
        if record is None:
            raise NotFoundError()
        return Response(self.get_serializer(record).data)

    def put(self, request: Request, organisation_id: int, year: int) -> Response:
        """Record or correct one year's figures."""
        organisation = selectors.organisation_get(
            user=request.user, organisation_id=organisation_id
        )
        selectors.check_year(year)
        record = services.organisation_year_save(
            actor=request.user,
            organisation=organisation,
            year=year,
            data=validated(s.OrganisationYearSerializer, request, partial=True),
        )
        return Response(self.get_serializer(record).data)


# Alliances -------------------------------------------------------------------------------------


class AllianceListView(ScopedListView):
    serializer_class = s.AllianceSerializer

    def get(self, request: Request) -> Response:
        return self.list_response(selectors.alliance_list(user=request.user))

    def post(self, request: Request) -> Response:
        alliance = services.alliance_create(
            actor=request.user, data=validated(s.AllianceSerializer, request)
        )
        alliance.member_count = 0  # type: ignore[attr-defined]
        return Response(s.AllianceSerializer(alliance).data, status=status.HTTP_201_CREATED)


class AllianceDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = s.AllianceSerializer

    def _alliance(self, request: Request, alliance_id: int) -> Any:
        selectors.alliance_get(user=request.user, alliance_id=alliance_id)
        return selectors.alliance_list(user=request.user).get(pk=alliance_id)

    def get(self, request: Request, alliance_id: int) -> Response:
        return Response(self.get_serializer(self._alliance(request, alliance_id)).data)

    def patch(self, request: Request, alliance_id: int) -> Response:
        alliance = selectors.alliance_get(user=request.user, alliance_id=alliance_id)
        data = validated(s.AllianceSerializer, request, partial=True)
        services.alliance_update(actor=request.user, alliance=alliance, data=data)
        return Response(self.get_serializer(self._alliance(request, alliance_id)).data)


class MemberListView(ScopedListView):
    serializer_class = s.MembershipSerializer

    @extend_schema(
        parameters=[OpenApiParameter("province", str), OpenApiParameter("q", str)],
        description="Current members of the alliance and of every alliance inside it.",
    )
    def get(self, request: Request, alliance_id: int) -> Response:
        alliance = selectors.alliance_get(user=request.user, alliance_id=alliance_id)
        return self.list_response(
            selectors.alliance_members(
                user=request.user,
                alliance=alliance,
                province=request.query_params.get("province", ""),
                search=request.query_params.get("q", ""),
            )
        )

    @extend_schema(request=s.MembershipCreateSerializer, responses=s.MembershipSerializer)
    def post(self, request: Request, alliance_id: int) -> Response:
        alliance = selectors.alliance_get(user=request.user, alliance_id=alliance_id)
        membership = services.membership_add(
            actor=request.user,
            alliance=alliance,
            **validated(s.MembershipCreateSerializer, request),
        )
        return Response(s.MembershipSerializer(membership).data, status=status.HTTP_201_CREATED)


class MemberDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = s.MembershipSerializer

    def patch(self, request: Request, alliance_id: int, membership_id: int) -> Response:
        alliance = selectors.alliance_get(user=request.user, alliance_id=alliance_id)
        membership = (
            Membership.objects.select_related("venue__division", "alliance")
            .filter(pk=membership_id, alliance_id__in=selectors.alliance_tree_ids(alliance))
            .first()
        )
        if membership is None:
            raise NotFoundError()
        data = validated(s.MembershipSerializer, request, partial=True)
        membership = services.membership_update(
            actor=request.user, membership=membership, data=data
        )
        return Response(self.get_serializer(membership).data)


# Reference data, audit, me ---------------------------------------------------------------------


class DivisionListView(ScopedListView):
    serializer_class = s.DivisionSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("parent", str, description="Children of this division code"),
            OpenApiParameter("level", str, enum=["province", "city", "county"]),
            OpenApiParameter("q", str, description="Search in names"),
        ]
    )
    def get(self, request: Request) -> Response:
        divisions = Division.objects.order_by("code")
        params = request.query_params
        if params.get("parent"):
            divisions = divisions.filter(parent_id=params["parent"])
        if params.get("level"):
            divisions = divisions.filter(level=params["level"])
        if params.get("q"):
            divisions = divisions.filter(name__contains=params["q"]) | divisions.filter(
                name_en__icontains=params["q"]
            )
        return self.list_response(divisions)


class AuditListView(ScopedListView):
    serializer_class = s.AuditEntrySerializer

    @extend_schema(parameters=[OpenApiParameter("venue", int), OpenApiParameter("action", str)])
    def get(self, request: Request) -> Response:
        venue = request.query_params.get("venue", "")
        return self.list_response(
            selectors.audit_entries(
                user=request.user,
                venue_id=parse_int(venue, "venue") if venue else None,
                action=request.query_params.get("action", ""),
            )
        )


class MeView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = s.MeSerializer

    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(request.user).data)
