"""Touring in the API: rotation regions, their sets and host venues, the rotation planner (run,
edit, adopt), tour stops and their visitors, touring figures for reports, and caravan visit
requests with the week's route planner.

Reads go through ``kepu.touring.selectors``, writes through its services, which apply the scope
rules: a region outside the caller's scope answers 404, a rule broken 422 with the field, a
clash with the current state (a set booked meanwhile) 409.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.db.models import Sum
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from kepu.api.views import ScopedListView, parse_date, parse_int, validated
from kepu.core.errors import ApplicationError, NotFoundError
from kepu.core.scopes import Capability
from kepu.network.models import Venue
from kepu.network.selectors import check_period, check_year, venue_get
from kepu.programs.models import Caravan, PlaceKind, School
from kepu.touring import selectors
from kepu.touring.explain import caravan_reason_in_words
from kepu.touring.models import (
    AttendanceSource,
    CaravanPlan,
    CaravanRequest,
    ExhibitionSet,
    HostVenue,
    RotationRegion,
    StopAttendance,
    TourStop,
    Weighting,
)
from kepu.touring.reports import plan_as_data
from kepu.touring.services import caravans as caravan_services
from kepu.touring.services import plans as plan_services
from kepu.touring.services import registry
from kepu.touring.services.rotation import (
    MAX_TIME_LIMIT,
    PinRequest,
    RotationRequest,
    rotation_plan_propose,
)
from kepu.touring.services.tours import stop_attendance_update, stop_record_visitors

# Serializers -----------------------------------------------------------------------------------


class RegionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    set_count = serializers.IntegerField(read_only=True)
    host_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = RotationRegion
        fields = [
            "id",
            "name",
            "name_en",
            "coordinator",
            "alliance",
            "division",
            "repeat_years",
            "road_factor",
            "periods_per_year",
            "period_weeks",
            "first_month",
            "gap_days",
            "weighting",
            "set_count",
            "host_count",
        ]


class SetSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    themes = serializers.ListField(
        child=serializers.CharField(max_length=100),
        write_only=True,
        help_text="Theme names; new ones are added to the shared list (listed back in reads).",
    )

    class Meta:
        model = ExhibitionSet
        fields = [
            "id",
            "region",
            "venue",
            *registry.SET_FIELDS,
            "themes",
            "exhibit_count",
            "crates",
            "weight_kg",
        ]
        read_only_fields = ["id", "region", "venue", "exhibit_count", "crates", "weight_kg"]
        extra_kwargs = {"base": {"required": False}}

    def to_representation(self, instance: ExhibitionSet) -> dict[str, Any]:
        data = dict(super().to_representation(instance))
        data["themes"] = [theme.name for theme in instance.themes.all()]
        return data


class HostSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    hosting_dates = serializers.SerializerMethodField()

    class Meta:
        model = HostVenue
        fields = ["id", "venue", "venue_name", *registry.HOST_FIELDS, "hosting_dates"]

    def get_hosting_dates(self, host: HostVenue) -> list[list[date]]:
        return [[window.starts_on, window.ends_on] for window in host.availability.all()]


class PeriodInput(serializers.Serializer):  # type: ignore[type-arg]
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()


class PinInput(serializers.Serializer):  # type: ignore[type-arg]
    set = serializers.IntegerField()
    venue = serializers.IntegerField()
    stop = serializers.IntegerField(min_value=1, help_text="1 for the year's first stop")


class PlannerInput(serializers.Serializer):  # type: ignore[type-arg]
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    periods = PeriodInput(
        many=True, required=False, help_text="The stops' dates; the region's usual ones if empty"
    )
    repeat_years = serializers.IntegerField(min_value=0, max_value=20, required=False)
    weighting = serializers.ChoiceField(choices=Weighting.choices, required=False)
    required_venues = serializers.ListField(child=serializers.IntegerField(), required=False)
    pins = PinInput(many=True, required=False)
    time_limit = serializers.IntegerField(min_value=1, max_value=MAX_TIME_LIMIT, default=20)


class PlanEditInput(serializers.Serializer):  # type: ignore[type-arg]
    stop = serializers.IntegerField(min_value=1)
    set = serializers.IntegerField()
    venue = serializers.IntegerField(allow_null=True, help_text="null: the set goes nowhere")


class TourStopSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    set_code = serializers.CharField(source="set.code", read_only=True)
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    visitors = serializers.IntegerField(read_only=True, allow_null=True)
    km_in = serializers.DecimalField(
        source="transfer_in.km", max_digits=8, decimal_places=1, read_only=True, allow_null=True
    )

    class Meta:
        model = TourStop
        fields = [
            "id",
            "set",
            "set_code",
            "venue",
            "venue_name",
            "starts_on",
            "ends_on",
            "opens_on",
            "status",
            "km_in",
            "visitors",
        ]


class StopAttendanceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = StopAttendance
        fields = [
            "id",
            "stop",
            "venue",
            "starts_on",
            "ends_on",
            "visitors",
            "approximate",
            "source",
            "note",
        ]
        read_only_fields = ["id", "stop", "venue"]
        extra_kwargs = {"source": {"default": AttendanceSource.COUNTED}}
        validators: list[Any] = []


class FigureOutput(serializers.Serializer):  # type: ignore[type-arg]
    value = serializers.DecimalField(max_digits=14, decimal_places=1)
    approximate = serializers.BooleanField()
    records = serializers.IntegerField()


class TouringFiguresOutput(serializers.Serializer):  # type: ignore[type-arg]
    start = serializers.DateField()
    end = serializers.DateField()
    role = serializers.CharField()
    stops = FigureOutput()
    visitors = FigureOutput()
    km = FigureOutput()
    counties = serializers.IntegerField()
    sets = serializers.IntegerField()


class CaravanRequestSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    caravan = serializers.PrimaryKeyRelatedField(queryset=Caravan.objects.all())
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, allow_null=True
    )
    place_kind = serializers.ChoiceField(choices=PlaceKind.choices, default=PlaceKind.SCHOOL)
    weekdays = serializers.IntegerField(
        min_value=1, max_value=127, default=31, help_text="Bit 0 is Monday; 31 = Monday–Friday"
    )

    class Meta:
        model = CaravanRequest
        fields = ["id", *caravan_services.REQUEST_FIELDS, "status", "trip"]
        read_only_fields = ["id", "status", "trip"]
        extra_kwargs = {"name": {"required": False}, "division": {"required": False}}
        validators: list[Any] = []


class WeekInput(serializers.Serializer):  # type: ignore[type-arg]
    caravan = serializers.IntegerField()
    week_starts = serializers.DateField(help_text="A Monday")
    depot = serializers.IntegerField(required=False, help_text="Venue id; the caravan's venue")
    working_days = serializers.IntegerField(min_value=1, max_value=127, default=31)
    day_starts = serializers.TimeField(default=time(7, 30))
    day_ends = serializers.TimeField(default=time(17, 30))
    max_drive_minutes = serializers.IntegerField(min_value=30, max_value=720, default=360)
    max_km_per_day = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    speed_kmh = serializers.IntegerField(min_value=10, max_value=120, default=50)
    time_limit = serializers.IntegerField(min_value=1, max_value=120, default=10)


def caravan_plan_data(plan: CaravanPlan) -> dict[str, Any]:
    requests = CaravanRequest.objects.in_bulk([item["request"] for item in plan.unserved])
    return {
        "id": plan.pk,
        "caravan": plan.caravan_id,
        "week_starts": plan.week_starts,
        "status": plan.status,
        "served": plan.served,
        "requested": plan.requested,
        "km": plan.km,
        "seconds": float(plan.seconds),
        "days": [
            {
                "day": route.day,
                "leaves_at": route.leaves_at,
                "returns_at": route.returns_at,
                "km": route.km,
                "drive_minutes": route.drive_minutes,
                "trip": route.trip_id,
                "visits": [
                    {
                        "request": visit.request_id,
                        "name": visit.request.name,
                        "arrives_at": visit.arrives_at,
                        "starts_at": visit.starts_at,
                        "ends_at": visit.ends_at,
                        "km_from_previous": visit.km_from_previous,
                    }
                    for visit in route.visits.all()
                ],
            }
            for route in plan.days.all()
        ],
        "unserved": [
            {
                "request": item["request"],
                "name": requests[item["request"]].name if item["request"] in requests else "",
                "reason": item["reason"],
                "explanation": caravan_reason_in_words(item["reason"]),
            }
            for item in plan.unserved
        ],
    }


# Regions, sets, hosts --------------------------------------------------------------------------


class RegionListView(ScopedListView):
    serializer_class = RegionSerializer

    @extend_schema(description="Rotation regions the caller reads.")
    def get(self, request: Request) -> Response:
        return self.list_response(selectors.region_list(user=request.user))


class RegionDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = RegionSerializer

    @extend_schema(responses=RegionSerializer)
    def get(self, request: Request, region_id: int) -> Response:
        region = selectors.region_list(user=request.user).filter(pk=region_id).first()
        if region is None:
            raise NotFoundError()
        return Response(RegionSerializer(region).data)


class SetListView(ScopedListView):
    serializer_class = SetSerializer

    @extend_schema(description="The region's touring sets with their themes and totals.")
    def get(self, request: Request, region_id: int) -> Response:
        region = selectors.region_get(user=request.user, region_id=region_id)
        return self.list_response(selectors.region_sets(region))

    @extend_schema(request=SetSerializer, responses={201: SetSerializer})
    def post(self, request: Request, region_id: int) -> Response:
        region = selectors.region_get(user=request.user, region_id=region_id)
        data = validated(SetSerializer, request)
        themes = registry.themes_by_name(actor=request.user, names=data.pop("themes"))
        item = registry.set_create(actor=request.user, region=region, data=data, themes=themes)
        return Response(SetSerializer(item).data, status=status.HTTP_201_CREATED)


class HostListView(ScopedListView):
    serializer_class = HostSerializer

    @extend_schema(description="The region's host venues with their hall area and dates.")
    def get(self, request: Request, region_id: int) -> Response:
        region = selectors.region_get(user=request.user, region_id=region_id)
        return self.list_response(selectors.region_hosts(region))


# The rotation planner --------------------------------------------------------------------------


class PlanListView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = PlannerInput

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=False)],
        responses=OpenApiTypes.OBJECT,
        description="The region's rotation plans (latest first).",
    )
    def get(self, request: Request, region_id: int) -> Response:
        region = selectors.region_get(user=request.user, region_id=region_id)
        plans = selectors.region_plans(region)
        raw = request.query_params.get("year", "")
        if raw:
            plans = plans.filter(year=check_year(parse_int(raw, "year")))
        return Response(
            [
                {
                    "id": plan.pk,
                    "year": plan.year,
                    "name": plan.name,
                    "status": plan.status,
                    "solver_status": plan.solver_status,
                    "km": plan.km,
                    "stops": plan.stop_count,  # type: ignore[attr-defined]
                }
                for plan in plans[:100]
            ]
        )

    @extend_schema(
        request=PlannerInput,
        responses={201: OpenApiTypes.OBJECT},
        description="Run the rotation planner (it may take the whole time limit) and keep its "
        "proposal: the objective, the proven bound and the gap, the stops, the venues not "
        "served and why — or, when the requirements cannot be met, which rule and which venue "
        "stand in the way.",
    )
    def post(self, request: Request, region_id: int) -> Response:
        region = selectors.region_get(user=request.user, region_id=region_id)
        data = validated(PlannerInput, request)
        plan = rotation_plan_propose(
            actor=request.user,
            request=RotationRequest(
                region=region,
                year=data["year"],
                periods=[(p["starts_on"], p["ends_on"]) for p in data.get("periods", [])],
                repeat_years=data.get("repeat_years"),
                weighting=data.get("weighting"),
                required_venue_ids=data.get("required_venues", []),
                pins=[
                    PinRequest(pin["set"], pin["venue"], pin["stop"] - 1)
                    for pin in data.get("pins", [])
                ],
                time_limit=data["time_limit"],
            ),
        )
        return Response(plan_as_data(plan), status=status.HTTP_201_CREATED)


class PlanDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = PlanEditInput

    @extend_schema(responses=OpenApiTypes.OBJECT, description="A plan with its report.")
    def get(self, request: Request, plan_id: int) -> Response:
        return Response(plan_as_data(selectors.plan_get(user=request.user, plan_id=plan_id)))


class PlanEditView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = PlanEditInput

    @extend_schema(
        request=PlanEditInput,
        responses=OpenApiTypes.OBJECT,
        description="Put a set at a venue in one stop of a proposed plan (or nowhere).",
    )
    def post(self, request: Request, plan_id: int) -> Response:
        plan = selectors.plan_get(user=request.user, plan_id=plan_id)
        data = validated(PlanEditInput, request)
        period = plan.periods.filter(sequence=data["stop"]).first()
        item = plan.region.sets.filter(pk=data["set"]).first()
        if period is None or item is None:
            raise ApplicationError.for_field("set", _("Choose a set and a stop of this plan."))
        venue = None
        if data["venue"] is not None:
            venue = Venue.objects.filter(pk=data["venue"]).first()
            if venue is None:
                raise ApplicationError.for_field("venue", _("Choose a host venue of this region."))
        plan_services.plan_stop_set(
            actor=request.user, plan=plan, period=period, item=item, venue=venue
        )
        return Response(plan_as_data(plan))


class PlanAdoptView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = PlanEditInput

    @extend_schema(
        request=None,
        responses=OpenApiTypes.OBJECT,
        description="Adopt a proposed plan: its stops become tour stops; the year's plan in "
        "force is superseded. 409 when a set is booked elsewhere meanwhile.",
    )
    def post(self, request: Request, plan_id: int) -> Response:
        plan = selectors.plan_get(user=request.user, plan_id=plan_id)
        plan = plan_services.rotation_plan_adopt(actor=request.user, plan=plan)
        return Response(plan_as_data(plan))


# Stops and figures -----------------------------------------------------------------------------


class StopListView(ScopedListView):
    serializer_class = TourStopSerializer

    @extend_schema(
        parameters=[OpenApiParameter("year", int, required=True)],
        description="The region's tour stops starting in the year.",
    )
    def get(self, request: Request, region_id: int) -> Response:
        region = selectors.region_get(user=request.user, region_id=region_id)
        year = check_year(parse_int(request.query_params.get("year", ""), "year"))
        stops = (
            TourStop.objects.filter(region=region, starts_on__year=year)
            .select_related("set", "venue", "transfer_in")
            .order_by("starts_on", "set__code")
        )
        return self.list_response(stops.annotate(visitors=Sum("attendance__visitors")))


class StopVisitorsView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = StopAttendanceSerializer

    @extend_schema(
        request=StopAttendanceSerializer,
        responses={201: StopAttendanceSerializer},
        description="Record a stop's visitors (人次) over some of its days; reports count them "
        "by the last day of each record.",
    )
    def post(self, request: Request, stop_id: int) -> Response:
        stop = selectors.stop_get(user=request.user, stop_id=stop_id)
        record = stop_record_visitors(
            actor=request.user, stop=stop, data=validated(StopAttendanceSerializer, request)
        )
        return Response(StopAttendanceSerializer(record).data, status=status.HTTP_201_CREATED)


class StopVisitorsDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = StopAttendanceSerializer

    @extend_schema(
        request=StopAttendanceSerializer,
        responses=StopAttendanceSerializer,
        description="Correct a record of a stop's visitors (the days must stay the stop's).",
    )
    def patch(self, request: Request, stop_id: int, record_id: int) -> Response:
        stop = selectors.stop_get(user=request.user, stop_id=stop_id)
        record = (
            StopAttendance.objects.filter(stop=stop, pk=record_id).select_related("stop").first()
        )
        if record is None:
            raise NotFoundError()
        data = validated(StopAttendanceSerializer, request, partial=True)
        record = stop_attendance_update(actor=request.user, record=record, data=data)
        return Response(StopAttendanceSerializer(record).data)


class TouringFiguresView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = TouringFiguresOutput

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
            OpenApiParameter(
                "role", str, enum=["owner", "host"], description="owner (default) or host"
            ),
        ],
        description="Stops, visitors, kilometres and counties served in [start, end]: of the "
        "sets the venue manages (owner) or of the stops it hosted (host).",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        start = parse_date(request.query_params.get("start", ""), "start")
        end = parse_date(request.query_params.get("end", ""), "end")
        check_period(start, end)
        role = request.query_params.get("role", "owner")
        if role not in ("owner", "host"):
            raise ApplicationError.for_field("role", _("Choose owner or host."))
        figures = selectors.touring_figures([venue.pk], start, end, role=role)
        return Response(TouringFiguresOutput(figures).data)


# Caravans --------------------------------------------------------------------------------------


class CaravanRequestListView(ScopedListView):
    serializer_class = CaravanRequestSerializer

    @extend_schema(description="The venue's caravan visit requests waiting for a date.")
    def get(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.VIEW)
        return self.list_response(selectors.caravan_requests(venue_id=venue.pk))

    @extend_schema(request=CaravanRequestSerializer, responses={201: CaravanRequestSerializer})
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        made = caravan_services.request_create(
            actor=request.user, venue=venue, data=validated(CaravanRequestSerializer, request)
        )
        return Response(CaravanRequestSerializer(made).data, status=status.HTTP_201_CREATED)


class CaravanPlanCreateView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = WeekInput

    @extend_schema(
        request=WeekInput,
        responses={201: OpenApiTypes.OBJECT},
        description="Plan the caravan's routes for a week from the requests waiting: day by "
        "day, within working hours, driving limits and each request's hours; what cannot be "
        "served is listed with the reason.",
    )
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        data = validated(WeekInput, request)
        caravan = Caravan.objects.filter(pk=data["caravan"], venue=venue).first()
        if caravan is None:
            raise ApplicationError.for_field("caravan", _("Choose a caravan of this venue."))
        depot = venue
        if data.get("depot") is not None:
            depot = venue_get(user=request.user, venue_id=data["depot"])
        plan = caravan_services.caravan_plan_propose(
            actor=request.user,
            caravan=caravan,
            settings=caravan_services.WeekSettings(
                week_starts=data["week_starts"],
                depot=depot,
                working_days=data["working_days"],
                day_starts=data["day_starts"],
                day_ends=data["day_ends"],
                max_drive_minutes=data["max_drive_minutes"],
                max_km_per_day=data.get("max_km_per_day"),
                speed_kmh=data["speed_kmh"],
                time_limit=data["time_limit"],
            ),
        )
        # Read back through the selector: the days, visits and requests in a few queries.
        plan = selectors.caravan_plan_get(user=request.user, plan_id=plan.pk)
        return Response(caravan_plan_data(plan), status=status.HTTP_201_CREATED)


class CaravanPlanDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = WeekInput

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, plan_id: int) -> Response:
        plan = selectors.caravan_plan_get(user=request.user, plan_id=plan_id)
        return Response(caravan_plan_data(plan))


class CaravanPlanAdoptView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = WeekInput

    @extend_schema(
        request=None,
        responses=OpenApiTypes.OBJECT,
        description="Each day's route becomes a caravan trip; 409 when the caravan is out on "
        "another trip on one of the days.",
    )
    def post(self, request: Request, plan_id: int) -> Response:
        plan = selectors.caravan_plan_get(user=request.user, plan_id=plan_id)
        caravan_services.caravan_plan_adopt(actor=request.user, plan=plan)
        # Read back: the adopted days with the trips they became.
        plan = selectors.caravan_plan_get(user=request.user, plan_id=plan_id)
        return Response(caravan_plan_data(plan))
