"""Visits in the API: the public's booking endpoints, and the venue's own."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from kepu.api.views import ScopedListView, parse_date, parse_int, validated, validated_shared
from kepu.core.errors import ApplicationError, NotFoundError
from kepu.core.scopes import Capability
from kepu.network.models import Venue
from kepu.network.selectors import venue_get
from kepu.visits import selectors
from kepu.visits.identity import IdType
from kepu.visits.models import (
    Booking,
    BookingKind,
    BookingPerson,
    BookingStatus,
    DailyAttendance,
    SlotTemplate,
    TimeSlot,
    VisitRules,
)
from kepu.visits.ratelimit import check_booking_rate
from kepu.visits.services import attendance, gate, waitlist
from kepu.visits.services.booking import (
    PartyMember,
    booking_cancel,
    booking_create,
    booking_find,
    group_booking_decide,
    group_booking_request,
    qr_payload,
)
from kepu.visits.services.rules import (
    RULE_FIELDS,
    bookable_until,
    rules_for,
    slot_template_create,
    slot_template_update,
    slot_update,
    slots_ensure,
    visit_rules_save,
)
from kepu.visits.views.public import booking_url

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (1–64 characters): a retried request with the same key "
    "returns the booking made the first time instead of booking again.",
)


# Serializers -----------------------------------------------------------------------------------


class PersonInput(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=50)
    id_type = serializers.ChoiceField(choices=IdType.choices)
    id_number = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")
    birth_date = serializers.DateField(required=False, allow_null=True, default=None)


class BookingInput(serializers.Serializer):  # type: ignore[type-arg]
    slot = serializers.IntegerField()
    phone = serializers.CharField(max_length=20)
    people = PersonInput(many=True, allow_empty=False)


class GroupInput(serializers.Serializer):  # type: ignore[type-arg]
    slot = serializers.IntegerField()
    headcount = serializers.IntegerField(min_value=1)
    school = serializers.CharField(max_length=200)
    leader_name = serializers.CharField(max_length=50)
    phone = serializers.CharField(max_length=20)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class PhoneInput(serializers.Serializer):  # type: ignore[type-arg]
    phone = serializers.CharField(max_length=20)


# The answers of the booking endpoints are plain serializers with declared fields: a
# ModelSerializer re-inspects its model on every response, which the booking rush pays for.


class SlotBrief(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    date = serializers.DateField()
    name = serializers.CharField()
    name_en = serializers.CharField()
    hall = serializers.IntegerField(source="hall_id", allow_null=True)
    starts_at = serializers.TimeField()
    ends_at = serializers.TimeField()


class PersonOutput(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.IntegerField()
    name_masked = serializers.CharField()
    id_type = serializers.CharField()
    id_masked = serializers.CharField()
    is_minor = serializers.BooleanField()
    checked_in_at = serializers.DateTimeField(allow_null=True)
    no_show = serializers.BooleanField()


class BookingOutput(serializers.Serializer):  # type: ignore[type-arg]
    reference = serializers.CharField()
    venue = serializers.IntegerField(source="venue_id")
    kind = serializers.ChoiceField(choices=BookingKind.choices)
    status = serializers.ChoiceField(choices=BookingStatus.choices)
    date = serializers.DateField()
    slot = SlotBrief()
    party_size = serializers.IntegerField()
    people = serializers.SerializerMethodField()
    phone_masked = serializers.CharField()
    school = serializers.CharField()
    leader_masked = serializers.CharField()
    decision_reason = serializers.CharField()
    group_checked_in = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    qr = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    @extend_schema_field(PersonOutput(many=True))
    def get_people(self, booking: Booking) -> list[dict[str, Any]]:
        """The visitors (masked). A booking just made answers with the people it created."""
        people = getattr(booking, "created_people", None)
        if people is None:
            people = booking.people.all()
        return list(_PEOPLE.to_representation(people))  # type: ignore[arg-type]

    def get_qr(self, booking: Booking) -> str:
        """What the QR code to show at the gate encodes."""
        return qr_payload(booking)

    def get_url(self, booking: Booking) -> str:
        """The visitor's own page for this booking."""
        return booking_url(booking)


# Built once per process and shared by every request (they keep no state of their own between
# calls): building a serializer's fields copies them all, which the booking rush would pay for.
_PEOPLE = PersonOutput(many=True)
_BOOKING_OUTPUT = BookingOutput()
_BOOKING_INPUT = BookingInput()


def booking_data(booking: Booking) -> dict[str, Any]:
    return dict(_BOOKING_OUTPUT.to_representation(booking))


class StaffBookingOutput(BookingOutput):
    id = serializers.IntegerField()
    source = serializers.CharField()  # type: ignore[assignment]


class AvailabilityOutput(serializers.Serializer):  # type: ignore[type-arg]
    slot = SlotBrief()
    places_left = serializers.IntegerField()
    group_places_left = serializers.IntegerField()
    waiting = serializers.IntegerField()


class VisitRulesSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = VisitRules
        fields = sorted(RULE_FIELDS)
        validators: list[Any] = []


class SlotTemplateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = SlotTemplate
        fields = [
            "id",
            "hall",
            "name",
            "name_en",
            "starts_at",
            "ends_at",
            "weekday_capacity",
            "holiday_capacity",
            "weekday_group_quota",
            "holiday_group_quota",
            "is_active",
        ]
        read_only_fields = ["id"]
        validators: list[Any] = []


class SlotUpdateInput(serializers.Serializer):  # type: ignore[type-arg]
    capacity = serializers.IntegerField(min_value=0, required=False)
    group_quota = serializers.IntegerField(min_value=0, required=False)
    is_closed = serializers.BooleanField(required=False)


class DecisionInput(serializers.Serializer):  # type: ignore[type-arg]
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class CheckInInput(serializers.Serializer):  # type: ignore[type-arg]
    person = serializers.IntegerField(required=False)
    group = serializers.IntegerField(required=False)
    count = serializers.IntegerField(required=False, min_value=1)


class GateCountInput(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.ChoiceField(choices=["walk_in", "exit"])
    count = serializers.IntegerField(min_value=1, max_value=1000)


class GateFiguresOutput(serializers.Serializer):  # type: ignore[type-arg]
    checked_in = serializers.IntegerField()
    group_visits = serializers.IntegerField()
    walk_ins = serializers.IntegerField()
    exits = serializers.IntegerField()
    inside = serializers.IntegerField()


class AttendanceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = DailyAttendance
        fields = [
            "date",
            "visits",
            "booked",
            "checked_in",
            "group_booked",
            "group_visits",
            "walk_ins",
            "no_shows",
            "exits",
            "approximate",
            "source",
            "note",
            "recorded_at",
        ]
        read_only_fields = ["date", "source", "recorded_at"]
        validators: list[Any] = []


# Public ----------------------------------------------------------------------------------------


class PublicView(GenericAPIView):  # type: ignore[type-arg]
    """Anonymous: no session, no CSRF; abuse is held off by rate limits."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]


def _public_venue(venue_id: int) -> Any:
    venue = Venue.objects.filter(
        pk=venue_id, is_active=True, visit_rules__booking_enabled=True
    ).first()
    if venue is None:
        raise NotFoundError()
    return venue


def _idempotency_key(request: Request) -> str | None:
    key = request.headers.get("Idempotency-Key", "").strip()
    return key or None


class PublicAvailabilityView(PublicView):
    serializer_class = AvailabilityOutput

    @extend_schema(
        operation_id="public_availability",
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE, required=True)],
        responses=AvailabilityOutput(many=True),
    )
    def get(self, request: Request, venue_id: int) -> Response:
        venue = _public_venue(venue_id)
        day = parse_date(request.query_params.get("date", ""), "date")
        rules = rules_for(venue)
        slots_ensure(venue, timezone.localdate(), bookable_until(rules))
        return Response(AvailabilityOutput(selectors.availability(venue, day), many=True).data)


class PublicBookingView(PublicView):
    serializer_class = BookingOutput

    @extend_schema(
        operation_id="public_booking_create",
        request=BookingInput,
        responses={201: BookingOutput, 200: BookingOutput},
        parameters=[IDEMPOTENCY],
        description="Book free timed entry. 201 when booked, 200 when an Idempotency-Key retry "
        "returns the booking made before; 409 when sold out or the ID already holds a booking "
        "that day; 422 with field reasons (people.0.id_number …); 429 when rate-limited.",
    )
    def post(self, request: Request, venue_id: int) -> Response:
        data = validated_shared(_BOOKING_INPUT, request)
        check_booking_rate(request, [p["id_number"] for p in data["people"]])
        result = booking_create(
            venue=venue_id,
            slot_id=data["slot"],
            people=[PartyMember(**person) for person in data["people"]],
            phone=data["phone"],
            idempotency_key=_idempotency_key(request),
            source="api",
        )
        return Response(
            booking_data(result.booking),
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class PublicGroupView(PublicView):
    serializer_class = BookingOutput

    @extend_schema(
        operation_id="public_group_request", request=GroupInput, parameters=[IDEMPOTENCY]
    )
    def post(self, request: Request, venue_id: int) -> Response:
        venue = _public_venue(venue_id)
        data = validated(GroupInput, request)
        check_booking_rate(request, [])
        result = group_booking_request(
            venue=venue, slot_id=data.pop("slot"), idempotency_key=_idempotency_key(request), **data
        )
        return Response(
            booking_data(result.booking),
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class WaitlistOutput(serializers.Serializer):  # type: ignore[type-arg]
    token = serializers.CharField()
    status = serializers.CharField()
    party_size = serializers.IntegerField()
    offered_until = serializers.DateTimeField(allow_null=True)


class PublicWaitlistView(PublicView):
    serializer_class = WaitlistOutput

    @extend_schema(operation_id="public_waitlist_join", request=BookingInput)
    def post(self, request: Request, venue_id: int) -> Response:
        venue = _public_venue(venue_id)
        data = validated_shared(_BOOKING_INPUT, request)
        check_booking_rate(request, [p["id_number"] for p in data["people"]])
        entry = waitlist.waitlist_join(
            venue=venue,
            slot_id=data["slot"],
            people=[PartyMember(**person) for person in data["people"]],
            phone=data["phone"],
        )
        return Response(WaitlistOutput(entry).data, status=status.HTTP_201_CREATED)


class PublicBookingLookupView(PublicView):
    serializer_class = BookingOutput

    @extend_schema(
        operation_id="public_booking_get",
        parameters=[OpenApiParameter("phone", str, required=True)],
    )
    def get(self, request: Request, reference: str) -> Response:
        check_booking_rate(request, [])
        booking = booking_find(reference=reference, phone=request.query_params.get("phone", ""))
        return Response(booking_data(booking))


class PublicBookingCancelView(PublicView):
    serializer_class = BookingOutput

    @extend_schema(operation_id="public_booking_cancel", request=PhoneInput)
    def post(self, request: Request, reference: str) -> Response:
        check_booking_rate(request, [])
        booking = booking_find(reference=reference, phone=validated(PhoneInput, request)["phone"])
        return Response(booking_data(booking_cancel(booking=booking)))


# The venue's own ---------------------------------------------------------------------------------


class VisitRulesView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = VisitRulesSerializer

    def get(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        rules = VisitRules.objects.filter(venue=venue).first()
        if rules is None:
            raise NotFoundError()
        return Response(self.get_serializer(rules).data)

    def put(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        rules = visit_rules_save(
            actor=request.user,
            venue=venue,
            data=validated(VisitRulesSerializer, request, partial=True),
        )
        return Response(self.get_serializer(rules).data)


class SlotTemplateListView(ScopedListView):
    serializer_class = SlotTemplateSerializer

    def get(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        return self.list_response(SlotTemplate.objects.filter(venue=venue).order_by("starts_at"))

    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        template = slot_template_create(
            actor=request.user, venue=venue, data=validated(SlotTemplateSerializer, request)
        )
        return Response(SlotTemplateSerializer(template).data, status=status.HTTP_201_CREATED)


class SlotTemplateDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = SlotTemplateSerializer

    def patch(self, request: Request, venue_id: int, template_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        template = SlotTemplate.objects.filter(venue=venue, pk=template_id).first()
        if template is None:
            raise NotFoundError()
        template = slot_template_update(
            actor=request.user,
            template=template,
            data=validated(SlotTemplateSerializer, request, partial=True),
        )
        return Response(self.get_serializer(template).data)


class SlotFiguresOutput(serializers.Serializer):  # type: ignore[type-arg]
    slot = SlotBrief()
    booked = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    no_shows = serializers.IntegerField()
    group_booked = serializers.IntegerField()
    group_pending = serializers.IntegerField()
    group_checked_in = serializers.IntegerField()
    waiting = serializers.IntegerField()
    places_left = serializers.IntegerField()


class SlotListView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = SlotFiguresOutput

    @extend_schema(
        operation_id="venue_slots_of_day",
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE)],
        responses=SlotFiguresOutput(many=True),
    )
    def get(self, request: Request, venue_id: int) -> Response:
        raw = request.query_params.get("date", "")
        day = parse_date(raw, "date") if raw else timezone.localdate()
        overview = selectors.day_overview(user=request.user, venue_id=venue_id, day=day)
        return Response(SlotFiguresOutput(overview.slots, many=True).data)


class SlotDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = SlotBrief

    @extend_schema(request=SlotUpdateInput, responses=SlotBrief)
    def patch(self, request: Request, venue_id: int, slot_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        slot = TimeSlot.objects.filter(venue=venue, pk=slot_id).select_related("venue").first()
        if slot is None:
            raise NotFoundError()
        slot = slot_update(
            actor=request.user, slot=slot, data=validated(SlotUpdateInput, request, partial=True)
        )
        return Response(SlotBrief(slot).data)


class VenueBookingListView(ScopedListView):
    serializer_class = StaffBookingOutput

    @extend_schema(
        parameters=[OpenApiParameter("date", OpenApiTypes.DATE), OpenApiParameter("status", str)]
    )
    def get(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        bookings = (
            Booking.objects.filter(venue=venue)
            .select_related("slot")
            .prefetch_related("people")
            .order_by("-created_at")
        )
        if raw := request.query_params.get("date"):
            bookings = bookings.filter(date=parse_date(raw, "date"))
        if state := request.query_params.get("status"):
            bookings = bookings.filter(status=state)
        return self.list_response(bookings)


class GroupDecisionView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = StaffBookingOutput

    @extend_schema(request=DecisionInput, responses=StaffBookingOutput)
    def post(self, request: Request, venue_id: int, booking_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        booking = Booking.objects.filter(venue=venue, pk=booking_id).first()
        if booking is None:
            raise NotFoundError()
        data = validated(DecisionInput, request)
        booking = group_booking_decide(
            actor=request.user, booking=booking, approve=data["approve"], reason=data["reason"]
        )
        return Response(self.get_serializer(booking).data)


class GateView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = GateFiguresOutput

    def get(self, request: Request, venue_id: int) -> Response:
        venue = selectors.gate_venue(user=request.user, venue_id=venue_id)
        figures = gate.gate_figures(venue, timezone.localdate())
        return Response(GateFiguresOutput(figures).data)


class GateLookupView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = StaffBookingOutput

    @extend_schema(
        parameters=[OpenApiParameter("code", str, required=True)],
        responses=StaffBookingOutput(many=True),
    )
    def get(self, request: Request, venue_id: int) -> Response:
        venue = selectors.gate_venue(user=request.user, venue_id=venue_id)
        found = gate.gate_lookup(
            actor=request.user, venue=venue, code=request.query_params.get("code", "")
        )
        return Response(StaffBookingOutput(found, many=True).data)


class CheckInView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = GateFiguresOutput

    @extend_schema(
        request=CheckInInput,
        responses=GateFiguresOutput,
        description="Check in one booked visitor (person) or members of an approved group "
        "(group and count). A person is checked in once; a second attempt is 409.",
    )
    def post(self, request: Request, venue_id: int) -> Response:
        venue = selectors.gate_venue(user=request.user, venue_id=venue_id)
        data = validated(CheckInInput, request)
        if data.get("group"):
            booking = Booking.objects.filter(venue=venue, pk=data["group"]).first()
            if booking is None:
                raise NotFoundError()
            gate.group_check_in(actor=request.user, booking=booking, count=data.get("count") or 0)
        elif data.get("person"):
            person = (
                BookingPerson.objects.filter(venue=venue, pk=data["person"])
                .select_related("booking__venue")
                .first()
            )
            if person is None:
                raise NotFoundError()
            gate.person_check_in(actor=request.user, person=person)
        else:
            raise ApplicationError.for_field("person", _("Give a person or a group."))
        return Response(GateFiguresOutput(gate.gate_figures(venue, timezone.localdate())).data)


class GateCountView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = GateFiguresOutput

    @extend_schema(request=GateCountInput, responses=GateFiguresOutput)
    def post(self, request: Request, venue_id: int) -> Response:
        venue = selectors.gate_venue(user=request.user, venue_id=venue_id)
        data = validated(GateCountInput, request)
        gate.gate_count(actor=request.user, venue=venue, kind=data["kind"], count=data["count"])
        return Response(GateFiguresOutput(gate.gate_figures(venue, timezone.localdate())).data)


class AttendanceListView(ScopedListView):
    serializer_class = AttendanceSerializer

    @extend_schema(parameters=[OpenApiParameter("year", int)])
    def get(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        records = DailyAttendance.objects.filter(venue=venue).order_by("date")
        if year := request.query_params.get("year"):
            records = records.filter(date__year=parse_int(year, "year"))
        return self.list_response(records)


class AttendanceDayView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = AttendanceSerializer

    def put(self, request: Request, venue_id: int, day: str) -> Response:
        """Record a day counted outside kepu's bookings (turnstiles, hand counts)."""
        venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.VIEW)
        on: date = parse_date(day, "date")
        record = attendance.attendance_record_day(
            actor=request.user,
            venue=venue,
            day=on,
            data=validated(AttendanceSerializer, request, partial=True),
        )
        return Response(self.get_serializer(record).data)
