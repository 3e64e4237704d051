"""Programmes in the API: activities and their sessions, sign-ups (the public's and the venue's
view of them), schools and partnerships, caravan trips, joint actions and theme days.

Reads go through ``kepu.programs.selectors`` and writes through its services, which apply the
scope rules: another venue's activity answers 404, a rule broken answers 422 with the field.
Ids in a body are resolved here to objects; the services reject another venue's hall, trip or
caravan with the same reason an unknown id gets, so an id of another venue tells nothing.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from kepu.api.views import ScopedListView, parse_date, parse_int, validated
from kepu.api.visits import PublicView
from kepu.core.models import User
from kepu.network.models import Division, Hall
from kepu.network.selectors import MAX_YEAR, MIN_YEAR, check_period, check_year, venue_get
from kepu.programs import selectors
from kepu.programs.models import (
    Activity,
    ActivityType,
    Audience,
    Campaign,
    CampaignReport,
    CampaignTheme,
    Caravan,
    CaravanTrip,
    Partnership,
    PlaceKind,
    Registration,
    School,
    Session,
    ThemeDay,
)
from kepu.programs.selectors import Figure
from kepu.programs.services.activities import (
    activity_create,
    activity_delete,
    activity_update,
    session_cancel,
    session_create,
    session_record,
    session_update,
)
from kepu.programs.services.registry import (
    CAMPAIGN_REPORT_FIELDS,
    StopInput,
    campaign_report_create,
    partnership_create,
    school_create,
    trip_create,
)
from kepu.programs.services.signup import (
    SignUp,
    open_session,
    registration_attend,
    registration_create,
)
from kepu.visits.ratelimit import check_booking_rate

SIGN_UP_IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (1–64 characters): a retried request with the same key "
    "returns the sign-up made the first time instead of taking places again.",
)


def validated_query(
    serializer_class: type[serializers.Serializer],  # type: ignore[type-arg]
    request: Request,
) -> dict[str, Any]:
    """Query parameters checked like a body: 422 with the reason per parameter."""
    # A plain dict: from a QueryDict an absent boolean would read as False, not as "not given".
    serializer = serializer_class(data=request.query_params.dict())
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# Serializers -----------------------------------------------------------------------------------


class FigureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    value = serializers.IntegerField()
    approximate = serializers.BooleanField()
    records = serializers.IntegerField()


class ActivitySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    owner = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": _("Choose someone who works at this venue.")},
    )
    partner_list = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Activity
        fields = [
            "id",
            "venue",
            "name",
            "name_en",
            "activity_type",
            "audience",
            "description",
            "owner",
            "partners",
            "partner_list",
            "topics",
            "theme_day",
            "campaign_theme",
            "created_at",
        ]
        read_only_fields = ["id", "venue", "created_at"]
        validators: list[Any] = []


class ActivityListItemSerializer(ActivitySerializer):
    """An activity with what its sessions (of the period filtered on) add up to."""

    session_count = serializers.IntegerField(read_only=True)
    held_count = serializers.IntegerField(read_only=True)
    participants_total = serializers.IntegerField(read_only=True, allow_null=True)
    participants_approximate = serializers.SerializerMethodField()
    last_start = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta(ActivitySerializer.Meta):
        fields = [
            *ActivitySerializer.Meta.fields,
            "session_count",
            "held_count",
            "participants_total",
            "participants_approximate",
            "last_start",
        ]

    def get_participants_approximate(self, activity: Activity) -> bool:
        """Whether any held session's participants were marked approximate."""
        return bool(getattr(activity, "any_approximate", False))


class ActivityFilters(serializers.Serializer):  # type: ignore[type-arg]
    type = serializers.ChoiceField(choices=ActivityType.choices, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    year = serializers.IntegerField(
        min_value=MIN_YEAR, max_value=MAX_YEAR, required=False, help_text="Sessions in this year"
    )
    month = serializers.IntegerField(
        min_value=1, max_value=12, required=False, help_text="… and month (with year)"
    )
    outreach = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: with sessions away from the venue; false: with sessions at it or online",
    )
    theme_day = serializers.IntegerField(required=False)
    campaign_theme = serializers.IntegerField(required=False)
    search = serializers.CharField(required=False, max_length=100, help_text="Names, partners")


class SessionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """When and where, places for sign-up, and (once held) who came. Create and change sessions
    with it; record the figures with ``record/``, cancel with ``cancel/``."""

    activity_name = serializers.CharField(source="activity.name", read_only=True)
    hall = serializers.PrimaryKeyRelatedField(
        queryset=Hall.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": _("Choose a hall of this venue.")},
    )
    hall_name = serializers.CharField(source="hall.name", read_only=True, allow_null=True)
    trip = serializers.PrimaryKeyRelatedField(
        queryset=CaravanTrip.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": _("Choose a caravan trip of this venue.")},
    )
    signed_up = serializers.SerializerMethodField()

    class Meta:
        model = Session
        fields = [
            "id",
            "venue",
            "activity",
            "activity_name",
            "starts_at",
            "ends_at",
            "place_kind",
            "hall",
            "hall_name",
            "place_name",
            "school",
            "division",
            "trip",
            "capacity",
            "places_left",
            "signed_up",
            "registration_open",
            "status",
            "participants",
            "participants_approximate",
            "online_viewers",
            "online_approximate",
            "st_workers",
            "st_workers_approximate",
            "note",
        ]
        read_only_fields = [
            "id",
            "venue",
            "activity",
            "places_left",
            "status",
            "participants",
            "participants_approximate",
            "online_viewers",
            "online_approximate",
            "st_workers",
            "st_workers_approximate",
        ]
        validators: list[Any] = []

    def get_signed_up(self, session: Session) -> int | None:
        """People holding confirmed sign-ups (none when the session has no places)."""
        counted = getattr(session, "signed_up", None)
        if counted is not None:
            return int(counted)
        if session.capacity is None or session.places_left is None:
            return None
        return session.capacity - session.places_left


class SessionRecordInput(serializers.Serializer):  # type: ignore[type-arg]
    participants = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    participants_approximate = serializers.BooleanField(required=False)
    online_viewers = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    online_approximate = serializers.BooleanField(required=False)
    st_workers = serializers.IntegerField(min_value=0, required=False)
    st_workers_approximate = serializers.BooleanField(required=False)


class SessionCancelInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ActivityDetailSerializer(ActivitySerializer):
    sessions = serializers.SerializerMethodField()

    class Meta(ActivitySerializer.Meta):
        fields = [*ActivitySerializer.Meta.fields, "sessions"]

    @extend_schema_field(SessionSerializer(many=True))
    def get_sessions(self, activity: Activity) -> list[dict[str, Any]]:
        return list(SessionSerializer(self.context["sessions"], many=True).data)


class RegistrationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A sign-up: the public sends name and phone, and gets (like staff) only their masks."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    session = serializers.IntegerField(source="session_id", read_only=True)
    kind = serializers.ChoiceField(
        choices=Registration.Kind.choices, default=Registration.Kind.PERSON
    )
    status = serializers.ChoiceField(choices=Registration.Status.choices, read_only=True)
    headcount = serializers.IntegerField(min_value=1, default=1)
    name = serializers.CharField(max_length=50, write_only=True)
    phone = serializers.CharField(max_length=20, write_only=True)
    name_masked = serializers.CharField(read_only=True)
    phone_masked = serializers.CharField(read_only=True)
    school_name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    class_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    attended = serializers.IntegerField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)


class AttendInput(serializers.Serializer):  # type: ignore[type-arg]
    attended = serializers.IntegerField(min_value=0)


class PublicSessionOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    venue = serializers.IntegerField(source="venue_id")
    venue_name = serializers.CharField(source="venue.name")
    activity = serializers.CharField(source="activity.name")
    activity_en = serializers.CharField(source="activity.name_en")
    audience = serializers.ChoiceField(source="activity.audience", choices=Audience.choices)
    description = serializers.CharField(source="activity.description")
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField(allow_null=True)
    place_kind = serializers.ChoiceField(choices=PlaceKind.choices)
    place = serializers.SerializerMethodField()
    capacity = serializers.IntegerField()
    places_left = serializers.IntegerField()

    def get_place(self, session: Session) -> str:
        """The hall, or the place named, or else the venue itself."""
        if session.hall is not None:
            return session.hall.name
        return session.place_name or session.venue.name


class SchoolSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    division = serializers.PrimaryKeyRelatedField(queryset=Division.objects.all())
    division_name = serializers.CharField(source="division.name", read_only=True)

    class Meta:
        model = School
        fields = [
            "id",
            "name",
            "name_en",
            "kind",
            "division",
            "division_name",
            "is_rural",
            "address",
        ]
        read_only_fields = ["id"]
        validators: list[Any] = []


class PartnershipSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    school_name = serializers.CharField(source="school.name", read_only=True)

    class Meta:
        model = Partnership
        fields = ["id", "venue", "school", "school_name", "signed_on", "ends_on", "status", "note"]
        read_only_fields = ["id", "venue"]
        validators: list[Any] = []


class TripStopSerializer(serializers.Serializer):  # type: ignore[type-arg]
    sequence = serializers.IntegerField(read_only=True)
    day = serializers.DateField()
    place_kind = serializers.ChoiceField(choices=PlaceKind.choices, default=PlaceKind.SCHOOL)
    name = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="Or a school"
    )
    school = serializers.PrimaryKeyRelatedField(
        queryset=School.objects.all(), required=False, allow_null=True, default=None
    )
    division = serializers.PrimaryKeyRelatedField(
        queryset=Division.objects.all(), required=False, allow_null=True, default=None
    )
    people_served = serializers.IntegerField(min_value=0, default=0)
    people_approximate = serializers.BooleanField(default=False)


class CaravanTripSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """A trip with its stops (sent together, saved together) and what they add up to."""

    caravan = serializers.PrimaryKeyRelatedField(
        queryset=Caravan.objects.all(),
        error_messages={"does_not_exist": _("Choose a caravan of this venue.")},
    )
    caravan_name = serializers.CharField(source="caravan.name", read_only=True)
    stops = TripStopSerializer(many=True, required=False)
    stop_count = serializers.IntegerField(read_only=True)
    people = serializers.IntegerField(read_only=True, allow_null=True)
    people_approximate = serializers.SerializerMethodField()

    class Meta:
        model = CaravanTrip
        fields = [
            "id",
            "venue",
            "caravan",
            "caravan_name",
            "title",
            "starts_on",
            "ends_on",
            "km",
            "km_approximate",
            "note",
            "stops",
            "stop_count",
            "people",
            "people_approximate",
        ]
        read_only_fields = ["id", "venue"]
        validators: list[Any] = []

    def get_people_approximate(self, trip: CaravanTrip) -> bool:
        """Whether any stop's count of people served was marked approximate."""
        return bool(getattr(trip, "people_approximate", False))


class ThemeDaySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ThemeDay
        fields = ["id", "name", "name_en", "kind", "starts_on", "ends_on"]


class CampaignThemeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CampaignTheme
        fields = ["id", "month", "name", "name_en"]


class CampaignSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    report_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "name",
            "name_en",
            "year",
            "alliance",
            "organiser",
            "starts_on",
            "ends_on",
            "description",
            "report_count",
        ]


class CampaignReportSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    venue = serializers.IntegerField(source="venue_id", help_text="The reporting venue")
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    theme = serializers.PrimaryKeyRelatedField(
        queryset=CampaignTheme.objects.all(),
        allow_null=True,
        required=False,
        error_messages={"does_not_exist": _("Choose a theme of this joint action.")},
    )

    class Meta:
        model = CampaignReport
        fields = ["id", "campaign", "venue", "venue_name", *CAMPAIGN_REPORT_FIELDS]
        read_only_fields = ["id", "campaign"]
        validators: list[Any] = []


class CampaignTotalsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    units = serializers.IntegerField(help_text="Venues that reported")
    sites = FigureSerializer()
    service_team = FigureSerializer()
    on_site = FigureSerializer()
    online_viewers = FigureSerializer()


class CampaignDetailSerializer(CampaignSerializer):
    """The joint action with its monthly themes and the reports the caller may read."""

    themes = CampaignThemeSerializer(many=True, read_only=True)
    reports = serializers.SerializerMethodField()
    totals = serializers.SerializerMethodField()

    class Meta(CampaignSerializer.Meta):
        fields = [*CampaignSerializer.Meta.fields, "themes", "reports", "totals"]

    @extend_schema_field(CampaignReportSerializer(many=True))
    def get_reports(self, campaign: Campaign) -> list[dict[str, Any]]:
        return list(CampaignReportSerializer(self.context["reports"], many=True).data)

    @extend_schema_field(CampaignTotalsSerializer)
    def get_totals(self, campaign: Campaign) -> dict[str, Any]:
        totals: dict[str, int | Figure] = self.context["totals"]
        return dict(CampaignTotalsSerializer(totals).data)


# Activities ------------------------------------------------------------------------------------


class ActivityListView(ScopedListView):
    serializer_class = ActivityListItemSerializer

    @extend_schema(
        parameters=[ActivityFilters],
        description="The venue's activities, latest first, with their sessions' figures (of the "
        "year and month filtered on).",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        filters = validated_query(ActivityFilters, request)
        return self.list_response(
            selectors.activity_list(
                user=request.user,
                venue_id=venue_id,
                activity_type=filters.get("type", ""),
                audience=filters.get("audience", ""),
                year=filters.get("year"),
                month=filters.get("month"),
                theme_day_id=filters.get("theme_day"),
                campaign_theme_id=filters.get("campaign_theme"),
                outreach=filters["outreach"],
                search=filters.get("search", ""),
            )
        )

    @extend_schema(
        request=ActivitySerializer,
        responses={201: ActivitySerializer},
        description="Add an activity to the venue's programme; plan its sessions next.",
    )
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        activity = activity_create(
            actor=request.user, venue=venue, data=validated(ActivitySerializer, request)
        )
        return Response(ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


class ActivityDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = ActivitySerializer

    @extend_schema(responses=ActivityDetailSerializer, description="The activity and its sessions.")
    def get(self, request: Request, venue_id: int, activity_id: int) -> Response:
        activity = selectors.activity_get(
            user=request.user, venue_id=venue_id, activity_id=activity_id
        )
        sessions = selectors.activity_sessions(activity)
        return Response(ActivityDetailSerializer(activity, context={"sessions": sessions}).data)

    @extend_schema(request=ActivitySerializer, responses=ActivitySerializer)
    def patch(self, request: Request, venue_id: int, activity_id: int) -> Response:
        activity = selectors.activity_get(
            user=request.user, venue_id=venue_id, activity_id=activity_id
        )
        data = validated(ActivitySerializer, request, partial=True)
        activity = activity_update(actor=request.user, activity=activity, data=data)
        return Response(self.get_serializer(activity).data)

    @extend_schema(
        responses={204: None},
        description="Remove an activity none of whose sessions was held and nobody signed up "
        "for; otherwise 409 (cancel its sessions instead).",
    )
    def delete(self, request: Request, venue_id: int, activity_id: int) -> Response:
        activity = selectors.activity_get(
            user=request.user, venue_id=venue_id, activity_id=activity_id
        )
        activity_delete(actor=request.user, activity=activity)
        return Response(status=status.HTTP_204_NO_CONTENT)


# Sessions --------------------------------------------------------------------------------------


class ActivitySessionCreateView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = SessionSerializer

    @extend_schema(
        request=SessionSerializer,
        responses={201: SessionSerializer},
        description="Plan a session of the activity. A hall is required for place_kind hall; "
        "opening it for sign-up (registration_open) needs a capacity.",
    )
    def post(self, request: Request, venue_id: int, activity_id: int) -> Response:
        activity = selectors.activity_get(
            user=request.user, venue_id=venue_id, activity_id=activity_id
        )
        session = session_create(
            actor=request.user, activity=activity, data=validated(SessionSerializer, request)
        )
        return Response(SessionSerializer(session).data, status=status.HTTP_201_CREATED)


class SessionListView(ScopedListView):
    serializer_class = SessionSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True, description="First day"),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True, description="Last day"),
        ],
        description="The venue's sessions starting in [start, end] (local days), in time order.",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        start = parse_date(request.query_params.get("start", ""), "start")
        end = parse_date(request.query_params.get("end", ""), "end")
        check_period(start, end)
        return self.list_response(
            selectors.sessions_between(user=request.user, venue_id=venue_id, start=start, end=end)
        )


def _session(request: Request, venue_id: int, session_id: int) -> Session:
    return selectors.session_get(user=request.user, venue_id=venue_id, session_id=session_id)


class SessionDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = SessionSerializer

    @extend_schema(responses=SessionSerializer)
    def get(self, request: Request, venue_id: int, session_id: int) -> Response:
        return Response(self.get_serializer(_session(request, venue_id, session_id)).data)

    @extend_schema(
        request=SessionSerializer,
        responses=SessionSerializer,
        description="Change when, where and for how many; 409 when the capacity would drop "
        "below the places already taken.",
    )
    def patch(self, request: Request, venue_id: int, session_id: int) -> Response:
        session = _session(request, venue_id, session_id)
        data = validated(SessionSerializer, request, partial=True)
        session = session_update(actor=request.user, session=session, data=data)
        return Response(self.get_serializer(session).data)


class SessionRecordView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = SessionSerializer

    @extend_schema(
        request=SessionRecordInput,
        responses=SessionSerializer,
        description="Record who came (participants or online viewers, each perhaps "
        "approximate) and the S&T workers; the session is then held. 409 when cancelled.",
    )
    def post(self, request: Request, venue_id: int, session_id: int) -> Response:
        session = _session(request, venue_id, session_id)
        data = validated(SessionRecordInput, request)
        session = session_record(actor=request.user, session=session, data=data)
        return Response(self.get_serializer(session).data)


class SessionCancelView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = SessionSerializer

    @extend_schema(
        request=SessionCancelInput,
        responses=SessionSerializer,
        description="Cancel a planned session with its sign-ups; 409 when it was held.",
    )
    def post(self, request: Request, venue_id: int, session_id: int) -> Response:
        session = _session(request, venue_id, session_id)
        reason = validated(SessionCancelInput, request)["reason"]
        session = session_cancel(actor=request.user, session=session, reason=reason)
        return Response(self.get_serializer(session).data)


# Sign-ups --------------------------------------------------------------------------------------


class SessionRegistrationListView(ScopedListView):
    serializer_class = RegistrationSerializer

    @extend_schema(description="The session's sign-ups; names and phones masked.")
    def get(self, request: Request, venue_id: int, session_id: int) -> Response:
        session = _session(request, venue_id, session_id)
        return self.list_response(selectors.session_registrations(session))


class RegistrationAttendView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = RegistrationSerializer

    @extend_schema(
        request=AttendInput,
        responses=RegistrationSerializer,
        description="How many of the sign-up's people came (0 for a no-show).",
    )
    def post(self, request: Request, venue_id: int, registration_id: int) -> Response:
        registration = selectors.venue_owned_get(
            user=request.user,
            venue_id=venue_id,
            model=Registration,
            pk=registration_id,
            related=("session__venue",),
        )
        registration = registration_attend(
            actor=request.user,
            registration=registration,
            attended=validated(AttendInput, request)["attended"],
        )
        return Response(self.get_serializer(registration).data)


def _idempotency_key(request: Request) -> str | None:
    return request.headers.get("Idempotency-Key", "").strip() or None


class PublicSessionView(PublicView):
    serializer_class = PublicSessionOutput

    @extend_schema(
        operation_id="public_session_get",
        description="A session open for sign-up: the activity, time, place and places left. "
        "404 when there is no such session; 422 (code closed) when it takes no sign-ups.",
    )
    def get(self, request: Request, session_id: int) -> Response:
        return Response(self.get_serializer(open_session(session_id)).data)


class PublicRegistrationView(PublicView):
    serializer_class = RegistrationSerializer

    @extend_schema(
        operation_id="public_session_sign_up",
        request=RegistrationSerializer,
        responses={201: RegistrationSerializer, 200: RegistrationSerializer},
        parameters=[SIGN_UP_IDEMPOTENCY],
        description="Sign up a person (with up to 4 companions) or a class. 201 when signed up, "
        "200 when an Idempotency-Key retry returns the sign-up made before; 409 code full when "
        "the places are gone, already_signed_up for a mobile number signed up before; 422 with "
        "field reasons; 429 when rate-limited.",
    )
    def post(self, request: Request, session_id: int) -> Response:
        check_booking_rate(request, [])
        result = registration_create(
            session_id=session_id,
            signup=SignUp(**validated(RegistrationSerializer, request)),
            idempotency_key=_idempotency_key(request),
        )
        return Response(
            self.get_serializer(result.registration).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


# Schools and partnerships ----------------------------------------------------------------------


class SchoolListView(ScopedListView):
    serializer_class = SchoolSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("search", str, description="Search in names"),
            OpenApiParameter("division", str, description="Division code, e.g. 220582"),
        ],
        description="The shared register of schools.",
    )
    def get(self, request: Request) -> Response:
        return self.list_response(
            selectors.school_list(
                user=request.user,
                search=request.query_params.get("search", ""),
                division=request.query_params.get("division", ""),
            )
        )

    @extend_schema(
        request=SchoolSerializer,
        responses={201: SchoolSerializer},
        description="Add a school to the register (for those who run programmes at a venue).",
    )
    def post(self, request: Request) -> Response:
        school = school_create(actor=request.user, data=validated(SchoolSerializer, request))
        return Response(SchoolSerializer(school).data, status=status.HTTP_201_CREATED)


class PartnershipListView(ScopedListView):
    serializer_class = PartnershipSerializer

    @extend_schema(description="The venue's school–museum cooperation agreements.")
    def get(self, request: Request, venue_id: int) -> Response:
        return self.list_response(
            selectors.venue_partnerships(user=request.user, venue_id=venue_id)
        )

    @extend_schema(
        request=PartnershipSerializer,
        responses={201: PartnershipSerializer},
        description="Record a cooperation agreement with a school of the register.",
    )
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        partnership = partnership_create(
            actor=request.user, venue=venue, data=validated(PartnershipSerializer, request)
        )
        return Response(PartnershipSerializer(partnership).data, status=status.HTTP_201_CREATED)


# Caravan trips ---------------------------------------------------------------------------------


def _trips(request: Request, venue_id: int, year: int | None = None) -> Any:
    trips = selectors.venue_trips(user=request.user, venue_id=venue_id, year=year)
    return trips.prefetch_related("stops")


class CaravanTripListView(ScopedListView):
    serializer_class = CaravanTripSerializer

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Trips starting in this year")],
        description="The venue's caravan trips, latest first, with their stops and totals.",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        raw = request.query_params.get("year", "")
        year = check_year(parse_int(raw, "year")) if raw else None
        return self.list_response(_trips(request, venue_id, year))

    @extend_schema(
        request=CaravanTripSerializer,
        responses={201: CaravanTripSerializer},
        description="A trip and its stops, saved together or not at all.",
    )
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        data = validated(CaravanTripSerializer, request)
        stops = [StopInput(**stop) for stop in data.pop("stops", [])]
        trip = trip_create(actor=request.user, venue=venue, data=data, stops=stops)
        created = _trips(request, venue_id).get(pk=trip.pk)
        return Response(CaravanTripSerializer(created).data, status=status.HTTP_201_CREATED)


# Joint actions and theme days ------------------------------------------------------------------


class CampaignListView(ScopedListView):
    serializer_class = CampaignSerializer

    @extend_schema(description="The joint actions the caller may read, latest year first.")
    def get(self, request: Request) -> Response:
        return self.list_response(selectors.campaign_list(user=request.user))


class CampaignDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = CampaignDetailSerializer

    @extend_schema(
        description="The joint action, its monthly themes, and the member units' reports the "
        "caller may read, with what they add up to."
    )
    def get(self, request: Request, campaign_id: int) -> Response:
        campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
        reports = list(selectors.campaign_reports(user=request.user, campaign=campaign))
        context = {"reports": reports, "totals": selectors.campaign_totals(reports)}
        return Response(CampaignDetailSerializer(campaign, context=context).data)


class CampaignReportCreateView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = CampaignReportSerializer

    @extend_schema(
        request=CampaignReportSerializer,
        responses={201: CampaignReportSerializer},
        description="A member unit reports its part; venue is the reporting venue's id.",
    )
    def post(self, request: Request, campaign_id: int) -> Response:
        campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
        data = validated(CampaignReportSerializer, request)
        venue = venue_get(user=request.user, venue_id=data.pop("venue_id"))
        report = campaign_report_create(
            actor=request.user, campaign=campaign, venue=venue, data=data
        )
        return Response(CampaignReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ThemeDayListView(ScopedListView):
    serializer_class = ThemeDaySerializer

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="Starting in this year")],
        description="National theme days and weeks.",
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("year", "")
        year = check_year(parse_int(raw, "year")) if raw else None
        return self.list_response(selectors.theme_days(year))
