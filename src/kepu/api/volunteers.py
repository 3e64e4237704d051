"""Volunteers in the API: the public's drives, applications and certificate verification; the
coordinator's applications, roll, shifts, check-in and check-out, corrections and figures; and a
signed-in volunteer's own records, places and sign-ups.

Reads go through ``kepu.volunteers.selectors`` and writes through its services, which apply the
scope rules: another venue's volunteer answers 404, a volunteer reaching for another's record
too. Personal data leaves only masked. Choices are plain strings here (listed in each field's
description), checked by the services with a reason per field.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from kepu.api.views import ScopedListView, parse_date, parse_int, validated
from kepu.api.visits import PublicView
from kepu.core.errors import ApplicationError, NotFoundError
from kepu.core.scopes import Capability
from kepu.network.selectors import check_period, venue_get
from kepu.volunteers import selectors
from kepu.volunteers.models import (
    Application,
    Assignment,
    Certificate,
    Drive,
    Post,
    Shift,
    ShiftPost,
    Team,
    Volunteer,
)
from kepu.volunteers.ratelimit import check_application_rate
from kepu.volunteers.services import recruitment, service, shifts
from kepu.volunteers.services.certificates import certificate_issue, certificate_verify
from kepu.volunteers.services.common import PersonInput

IDEMPOTENCY = OpenApiParameter(
    "Idempotency-Key",
    str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (1–64 characters): a retried request with the same key "
    "returns what the first one made instead of making it again.",
)
MANAGE = Capability.MANAGE_VOLUNTEERS


def _key(request: Request) -> str | None:
    return request.headers.get("Idempotency-Key", "").strip() or None


# Serializers -------------------------------------------------------------------------------------


class VolunteerDriveSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    categories = serializers.ListField(
        child=serializers.CharField(),
        help_text="Who may apply: student, public, expert, little",
    )
    drive_status = serializers.CharField(
        source="status", read_only=True, help_text="draft, open or closed"
    )
    venue_name = serializers.CharField(source="venue.name", read_only=True)

    class Meta:
        model = Drive
        fields = [
            "id",
            "venue",
            "venue_name",
            "title",
            "title_en",
            "description",
            "categories",
            "colleges",
            "places",
            "opens_on",
            "closes_on",
            "agreement",
            "drive_status",
        ]
        read_only_fields = ["id", "venue", "colleges"]
        validators: list[Any] = []


class ApplicantPersonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField(max_length=50)
    id_type = serializers.CharField(
        max_length=24,
        default="resident_id",
        help_text="resident_id, passport, hk_macao_permit, taiwan_permit, permanent_residence",
    )
    id_number = serializers.CharField(max_length=32)
    birth_date = serializers.DateField(
        required=False,
        allow_null=True,
        default=None,
        help_text="With documents other than the ID card",
    )
    gender = serializers.CharField(
        required=False, allow_blank=True, default="", help_text="female or male"
    )
    phone = serializers.CharField(max_length=20)
    guardian_name = serializers.CharField(
        max_length=50, required=False, allow_blank=True, default=""
    )
    guardian_phone = serializers.CharField(
        max_length=20, required=False, allow_blank=True, default=""
    )


class VolunteerApplyInput(serializers.Serializer):  # type: ignore[type-arg]
    category = serializers.CharField(
        help_text="student, public, expert or little (as the drive allows)"
    )
    person = ApplicantPersonSerializer()
    college = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A partner college's id"
    )
    organisation = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    professional_title = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
    skills = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    languages = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        default=list,
        help_text="zh, en, ja, ko, ru, fr, de, sign, dialect",
    )
    availability = serializers.ListField(
        child=serializers.CharField(),
        help_text="weekday_am, weekday_pm, weekend_am, weekend_pm, holidays, school_holidays",
    )
    motivation = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    guardian_consent = serializers.BooleanField(default=False)
    agreed = serializers.BooleanField(help_text="The applicant accepts the drive's agreement")
    username = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        default="",
        help_text="A sign-in to create (with password)",
    )
    password = serializers.CharField(required=False, allow_blank=True, default="", write_only=True)

    def applicant(self) -> recruitment.ApplicantInput:
        data = self.validated_data
        return recruitment.ApplicantInput(
            category=data["category"],
            person=PersonInput(**data["person"]),
            college_id=data["college"],
            organisation=data["organisation"],
            professional_title=data["professional_title"],
            skills=data["skills"],
            languages=list(data["languages"]),
            availability=list(data["availability"]),
            motivation=data["motivation"],
            guardian_consent=data["guardian_consent"],
            agreed=data["agreed"],
        )

    def account(self) -> recruitment.AccountInput | None:
        data = self.validated_data
        if not data["username"]:
            return None
        return recruitment.AccountInput(data["username"], data["password"])


class VolunteerApplicationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """An application with its personal data masked."""

    stage = serializers.CharField(
        source="status",
        read_only=True,
        help_text="pending, interviewed, accepted, rejected or withdrawn",
    )
    category = serializers.CharField(read_only=True)
    volunteer = serializers.SerializerMethodField()

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "venue",
            "drive",
            "stage",
            "category",
            "name_masked",
            "id_masked",
            "phone_masked",
            "college",
            "organisation",
            "professional_title",
            "skills",
            "languages",
            "availability",
            "interview_at",
            "interview_score",
            "decision_reason",
            "decided_at",
            "created_at",
            "volunteer",
        ]
        read_only_fields = fields

    def get_volunteer(self, application: Application) -> int | None:
        """The volunteer record made on acceptance."""
        made = getattr(application, "volunteer", None)
        return made.pk if made is not None else None


class VolunteerInterviewInput(serializers.Serializer):  # type: ignore[type-arg]
    interviewed_at = serializers.DateTimeField()
    score = serializers.IntegerField(
        min_value=0, max_value=100, required=False, allow_null=True, default=None
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class VolunteerAcceptInput(serializers.Serializer):  # type: ignore[type-arg]
    team = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class VolunteerReasonInput(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(max_length=300)


class VolunteerSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    volunteer_status = serializers.CharField(
        source="status", read_only=True, help_text="probation, active, suspended, left or removed"
    )
    category = serializers.CharField(read_only=True)
    team_name = serializers.CharField(source="team.name", read_only=True, allow_null=True)
    hours = serializers.SerializerMethodField()

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "venue",
            "number",
            "name_masked",
            "phone_masked",
            "category",
            "volunteer_status",
            "team",
            "team_name",
            "joined_on",
            "probation_until",
            "appointed_on",
            "left_on",
            "skills",
            "languages",
            "availability",
            "hours",
        ]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.DECIMAL)
    def get_hours(self, volunteer: Volunteer) -> str | None:
        """Hours served in total (in lists)."""
        minutes = getattr(volunteer, "minutes_total", None)
        return None if minutes is None else str(Assignment(minutes=minutes).hours)


class VolunteerSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    hours_total = serializers.DecimalField(max_digits=9, decimal_places=1, source="total.hours")
    shifts_total = serializers.IntegerField(source="total.shifts")
    tours_total = serializers.IntegerField(source="total.tours")
    no_shows_total = serializers.IntegerField(source="total.no_shows")
    hours_this_year = serializers.DecimalField(
        max_digits=9, decimal_places=1, source="this_year.hours"
    )
    stars = serializers.IntegerField()
    next_star_hours = serializers.IntegerField(allow_null=True)


class VolunteerDetailSerializer(VolunteerSerializer):
    summary = serializers.SerializerMethodField()

    class Meta(VolunteerSerializer.Meta):
        fields = [*VolunteerSerializer.Meta.fields, "summary"]
        read_only_fields = fields

    @extend_schema_field(VolunteerSummarySerializer)
    def get_summary(self, volunteer: Volunteer) -> dict[str, Any]:
        return dict(VolunteerSummarySerializer(selectors.volunteer_summary(volunteer)).data)


class VolunteerShiftPostSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    post_name = serializers.CharField(source="post.name", read_only=True)

    class Meta:
        model = ShiftPost
        fields = ["id", "post", "post_name", "places", "places_left"]
        read_only_fields = fields


class VolunteerShiftSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    shift_status = serializers.CharField(
        source="status", read_only=True, help_text="planned or cancelled"
    )
    posts = VolunteerShiftPostSerializer(many=True, read_only=True)

    class Meta:
        model = Shift
        fields = [
            "id",
            "venue",
            "title",
            "starts_at",
            "ends_at",
            "hall",
            "place_name",
            "team",
            "note",
            "shift_status",
            "posts",
        ]
        read_only_fields = ["id", "venue", "shift_status", "posts"]
        validators: list[Any] = []


class ShiftPlacesInput(serializers.Serializer):  # type: ignore[type-arg]
    post = serializers.IntegerField()
    places = serializers.IntegerField(min_value=1, max_value=200)


class VolunteerShiftInput(serializers.Serializer):  # type: ignore[type-arg]
    title = serializers.CharField(max_length=100)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    place_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    places = ShiftPlacesInput(many=True)


class VolunteerAssignmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    assignment_status = serializers.CharField(
        source="status",
        read_only=True,
        help_text="signed_up, checked_in, completed, no_show or cancelled",
    )
    volunteer_number = serializers.CharField(source="volunteer.number", read_only=True)
    post = serializers.IntegerField(source="shift_post.post_id", read_only=True)
    hours = serializers.DecimalField(max_digits=5, decimal_places=1, read_only=True)

    class Meta:
        model = Assignment
        fields = [
            "id",
            "shift",
            "shift_post",
            "post",
            "volunteer",
            "volunteer_number",
            "starts_at",
            "ends_at",
            "assignment_status",
            "checked_in_at",
            "checked_out_at",
            "minutes",
            "hours",
            "tours",
            "corrected",
            "rating",
            "feedback",
        ]
        read_only_fields = fields


class VolunteerAssignInput(serializers.Serializer):  # type: ignore[type-arg]
    volunteer = serializers.IntegerField()
    shift_post = serializers.IntegerField()


class VolunteerCheckOutInput(serializers.Serializer):  # type: ignore[type-arg]
    tours = serializers.IntegerField(min_value=0, default=0)


class HoursCorrectionInput(serializers.Serializer):  # type: ignore[type-arg]
    minutes = serializers.IntegerField(min_value=0)
    tours = serializers.IntegerField(min_value=0, default=0)
    reason = serializers.CharField(max_length=300)


class VolunteerFiguresSerializer(serializers.Serializer):  # type: ignore[type-arg]
    volunteers_registered = serializers.IntegerField()
    volunteers_active = serializers.IntegerField()
    volunteers_new = serializers.IntegerField()
    volunteer_hours = serializers.DecimalField(max_digits=12, decimal_places=1)
    volunteer_service_times = serializers.IntegerField()
    experts_mobilised = serializers.IntegerField()
    applications = serializers.IntegerField()
    applications_accepted = serializers.IntegerField()
    no_shows = serializers.IntegerField()


class VolunteerCertificateSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    hours = serializers.DecimalField(max_digits=9, decimal_places=1, read_only=True)
    valid = serializers.BooleanField(source="is_valid", read_only=True)

    class Meta:
        model = Certificate
        fields = [
            "code",
            "venue",
            "venue_name",
            "holder_name_masked",
            "holder_number",
            "period_start",
            "period_end",
            "hours",
            "shifts",
            "stars",
            "issued_at",
            "valid",
            "revoked_at",
        ]
        read_only_fields = fields


class CertificatePeriodInput(serializers.Serializer):  # type: ignore[type-arg]
    start = serializers.DateField(required=False, allow_null=True, default=None)
    end = serializers.DateField(required=False, allow_null=True, default=None)


class VolunteerOpenPlaceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    shift_title = serializers.CharField(source="shift.title")
    starts_at = serializers.DateTimeField(source="shift.starts_at")
    ends_at = serializers.DateTimeField(source="shift.ends_at")
    post_name = serializers.CharField(source="post.name")
    on_shift = serializers.BooleanField(help_text="The volunteer holds a place on this shift")

    class Meta:
        model = ShiftPost
        fields = [
            "id",
            "shift",
            "shift_title",
            "starts_at",
            "ends_at",
            "post",
            "post_name",
            "places_left",
            "on_shift",
        ]
        read_only_fields = fields


class MyVolunteeringSerializer(serializers.Serializer):  # type: ignore[type-arg]
    volunteers = VolunteerSerializer(many=True)
    applications = VolunteerApplicationSerializer(many=True)


# The public --------------------------------------------------------------------------------------


class PublicDriveListView(PublicView):
    serializer_class = VolunteerDriveSerializer

    @extend_schema(
        operation_id="public_volunteer_drives",
        responses=VolunteerDriveSerializer(many=True),
        description="Recruitment drives taking applications today.",
    )
    def get(self, request: Request) -> Response:
        return Response(self.get_serializer(selectors.open_drives()[:200], many=True).data)


class PublicApplyView(PublicView):
    serializer_class = VolunteerApplicationSerializer

    @extend_schema(
        operation_id="public_volunteer_apply",
        request=VolunteerApplyInput,
        responses={201: VolunteerApplicationSerializer, 200: VolunteerApplicationSerializer},
        parameters=[IDEMPOTENCY],
        description="Apply to a drive: identity validated (GB 11643 check digit), age and "
        "eligibility checked (a minor applies with a guardian's consent), the agreement "
        "accepted. With username and password a sign-in is created. 201 when received, 200 "
        "for an Idempotency-Key retry; 409 already_applied or already_volunteer; 422 with field "
        "reasons (closed when the drive does not take applications); 429 when rate-limited.",
    )
    def post(self, request: Request, drive_id: int) -> Response:
        serializer = VolunteerApplyInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        check_application_rate(request, serializer.validated_data["person"]["id_number"])
        result = recruitment.application_submit(
            drive_id=drive_id,
            applicant=serializer.applicant(),
            account=serializer.account(),
            idempotency_key=_key(request),
        )
        return Response(
            self.get_serializer(result.application).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class PublicCertificateView(PublicView):
    serializer_class = VolunteerCertificateSerializer

    @extend_schema(
        operation_id="public_volunteer_certificate",
        description="Check a service certificate's verification code: who issued it, for "
        "whom (masked), for which period and how many hours, and whether it was revoked. 404 "
        "for an unknown code.",
    )
    def get(self, request: Request, code: str) -> Response:
        return Response(self.get_serializer(certificate_verify(code)).data)


# The coordinator ---------------------------------------------------------------------------------


class DriveListView(ScopedListView):
    serializer_class = VolunteerDriveSerializer

    @extend_schema(description="The venue's recruitment drives, latest first.")
    def get(self, request: Request, venue_id: int) -> Response:
        return self.list_response(selectors.drive_list(user=request.user, venue_id=venue_id))

    @extend_schema(
        request=VolunteerDriveSerializer,
        responses={201: VolunteerDriveSerializer},
        parameters=[
            OpenApiParameter("publish", bool, description="Open it for applications at once")
        ],
        description="Open a recruitment drive (a draft unless publish=true).",
    )
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
        drive = recruitment.drive_create(
            actor=request.user,
            venue=venue,
            data=validated(VolunteerDriveSerializer, request),
            publish=request.query_params.get("publish", "") in ("1", "true"),
        )
        return Response(VolunteerDriveSerializer(drive).data, status=status.HTTP_201_CREATED)


class ApplicationListView(ScopedListView):
    serializer_class = VolunteerApplicationSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("drive", int),
            OpenApiParameter(
                "stage", str, description="pending, interviewed, accepted, rejected, withdrawn"
            ),
            OpenApiParameter("search", str, description="Reference, mobile or ID number (exact)"),
        ],
        description="The venue's applications, latest first, personal data masked.",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        params = request.query_params
        drive = params.get("drive", "")
        return self.list_response(
            selectors.application_list(
                user=request.user,
                venue_id=venue_id,
                drive_id=parse_int(drive, "drive") if drive else None,
                status=params.get("stage", ""),
                search=params.get("search", ""),
            ).select_related("volunteer")
        )


def _application(request: Request, venue_id: int, application_id: int) -> Application:
    return selectors.application_get(
        user=request.user, venue_id=venue_id, application_id=application_id
    )


class ApplicationDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = VolunteerApplicationSerializer

    def get(self, request: Request, venue_id: int, application_id: int) -> Response:
        return Response(self.get_serializer(_application(request, venue_id, application_id)).data)


class ApplicationDecisionView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = VolunteerApplicationSerializer

    @extend_schema(
        request=VolunteerInterviewInput,
        responses=VolunteerApplicationSerializer,
        parameters=[
            OpenApiParameter(
                "decision",
                str,
                location=OpenApiParameter.PATH,
                enum=["interview", "accept", "reject"],
            )
        ],
        description="interview (body: interviewed_at, score, note) moves a pending application "
        "on; accept (body: team, reason) makes an interviewed applicant a volunteer on "
        "probation (409 drive_full, wrong_stage); reject (body: reason) declines it.",
    )
    def post(self, request: Request, venue_id: int, application_id: int, decision: str) -> Response:
        application = _application(request, venue_id, application_id)
        if decision == "interview":
            data = validated(VolunteerInterviewInput, request)
            application = recruitment.application_interview(
                actor=request.user,
                application=application,
                interviewed_at=data["interviewed_at"],
                score=data["score"],
                note=data["note"],
            )
        elif decision == "accept":
            data = validated(VolunteerAcceptInput, request)
            team = None
            if data["team"] is not None:
                team = Team.objects.filter(venue_id=venue_id, pk=data["team"]).first()
                if team is None:
                    raise ApplicationError.for_field("team", _("Choose a team of this venue."))
            recruitment.application_accept(
                actor=request.user, application=application, team=team, reason=data["reason"]
            )
            application = _application(request, venue_id, application_id)
        elif decision == "reject":
            data = validated(VolunteerReasonInput, request)
            application = recruitment.application_reject(
                actor=request.user, application=application, reason=data["reason"]
            )
        else:
            raise NotFoundError()
        return Response(self.get_serializer(application).data)


class VolunteerListView(ScopedListView):
    serializer_class = VolunteerSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "status", str, description="on_roll, probation, active, suspended, left, removed"
            ),
            OpenApiParameter("team", int),
            OpenApiParameter("category", str),
            OpenApiParameter("search", str, description="Number, or mobile or ID number (exact)"),
        ],
        description="The venue's volunteers with their hours served, personal data masked.",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        params = request.query_params
        team = params.get("team", "")
        return self.list_response(
            selectors.volunteer_list(
                user=request.user,
                venue_id=venue_id,
                status=params.get("status", ""),
                team_id=parse_int(team, "team") if team else None,
                category=params.get("category", ""),
                search=params.get("search", ""),
            )
        )


class VolunteerDetailView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = VolunteerDetailSerializer

    @extend_schema(
        description="A volunteer's record: status, team, dates, and hours, stars and tours "
        "from the service records."
    )
    def get(self, request: Request, venue_id: int, volunteer_id: int) -> Response:
        volunteer = selectors.volunteer_get(
            user=request.user, venue_id=venue_id, volunteer_id=volunteer_id
        )
        return Response(self.get_serializer(volunteer).data)


class ShiftListView(ScopedListView):
    serializer_class = VolunteerShiftSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        description="The venue's shifts starting in [start, end] with places per post.",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        start = parse_date(request.query_params.get("start", ""), "start")
        end = parse_date(request.query_params.get("end", ""), "end")
        check_period(start, end)
        return self.list_response(
            selectors.shifts_between(user=request.user, venue_id=venue_id, start=start, end=end)
        )

    @extend_schema(
        request=VolunteerShiftInput,
        responses={201: VolunteerShiftSerializer},
        description="A one-off shift with its places per post.",
    )
    def post(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
        data = validated(VolunteerShiftInput, request)
        posts = {post.pk: post for post in Post.objects.filter(venue=venue)}
        places: dict[Post, int] = {}
        for row in data.pop("places"):
            if row["post"] not in posts:
                raise ApplicationError.for_field("places", _("Choose posts of this venue."))
            places[posts[row["post"]]] = row["places"]
        shift = shifts.shift_create(actor=request.user, venue=venue, data=data, places=places)
        return Response(
            VolunteerShiftSerializer(
                selectors.shift_get(user=request.user, venue_id=venue_id, shift_id=shift.pk)
            ).data,
            status=status.HTTP_201_CREATED,
        )


class ShiftAssignmentListView(ScopedListView):
    serializer_class = VolunteerAssignmentSerializer

    @extend_schema(description="Who is on the shift (not cancelled).")
    def get(self, request: Request, venue_id: int, shift_id: int) -> Response:
        shift = selectors.shift_get(
            user=request.user, venue_id=venue_id, shift_id=shift_id, capability=MANAGE
        )
        return self.list_response(selectors.shift_assignments(shift))

    @extend_schema(
        request=VolunteerAssignInput,
        responses={201: VolunteerAssignmentSerializer},
        description="Put a volunteer on one of the shift's posts; 409 full, overlap, "
        "training_required, not_serving.",
    )
    def post(self, request: Request, venue_id: int, shift_id: int) -> Response:
        shift = selectors.shift_get(
            user=request.user, venue_id=venue_id, shift_id=shift_id, capability=MANAGE
        )
        data = validated(VolunteerAssignInput, request)
        entry = next((e for e in shift.posts.all() if e.pk == data["shift_post"]), None)
        volunteer = Volunteer.objects.filter(venue_id=venue_id, pk=data["volunteer"]).first()
        if entry is None:
            raise ApplicationError.for_field("shift_post", _("Choose a post of this shift."))
        if volunteer is None:
            raise ApplicationError.for_field("volunteer", _("Choose a volunteer of this venue."))
        entry.shift = shift
        assignment = shifts.shift_assign(actor=request.user, volunteer=volunteer, shift_post=entry)
        return Response(
            VolunteerAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED
        )


class AssignmentActionView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = VolunteerAssignmentSerializer

    @extend_schema(
        request=HoursCorrectionInput,
        responses=VolunteerAssignmentSerializer,
        parameters=[
            OpenApiParameter(
                "action",
                str,
                location=OpenApiParameter.PATH,
                enum=["check-in", "check-out", "no-show", "correct"],
            )
        ],
        description="check-in (from an hour before the shift), check-out (body: tours), "
        "no-show, or correct (body: minutes, tours, reason; audited).",
    )
    def post(self, request: Request, venue_id: int, assignment_id: int, action: str) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        assignment = (
            Assignment.objects.filter(venue=venue, pk=assignment_id)
            .select_related("shift__venue", "shift_post__post", "volunteer")
            .first()
        )
        if assignment is None:
            raise NotFoundError()
        if action == "check-in":
            assignment = service.assignment_check_in(actor=request.user, assignment=assignment)
        elif action == "check-out":
            tours = validated(VolunteerCheckOutInput, request)["tours"]
            assignment = service.assignment_check_out(
                actor=request.user, assignment=assignment, tours=tours
            )
        elif action == "no-show":
            assignment = service.assignment_no_show(actor=request.user, assignment=assignment)
        elif action == "correct":
            data = validated(HoursCorrectionInput, request)
            assignment = service.assignment_correct(
                actor=request.user, assignment=assignment, **data
            )
        else:
            raise NotFoundError()
        return Response(self.get_serializer(assignment).data)


class FiguresView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = VolunteerFiguresSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, required=True),
            OpenApiParameter("end", OpenApiTypes.DATE, required=True),
        ],
        description="What the venue's volunteer records add up to in [start, end]: volunteers "
        "registered, active and new, hours served, service times, S&T experts mobilised.",
    )
    def get(self, request: Request, venue_id: int) -> Response:
        venue = venue_get(user=request.user, venue_id=venue_id)
        start = parse_date(request.query_params.get("start", ""), "start")
        end = parse_date(request.query_params.get("end", ""), "end")
        check_period(start, end)
        return Response(
            self.get_serializer(selectors.volunteer_figures([venue.pk], start, end)).data
        )


# The volunteer themselves ------------------------------------------------------------------------


class MyRecordsView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = MyVolunteeringSerializer

    @extend_schema(description="The signed-in person's volunteer records and applications.")
    def get(self, request: Request) -> Response:
        volunteers, applications = selectors.my_records(request.user)
        return Response(
            self.get_serializer({"volunteers": volunteers, "applications": applications}).data
        )


class MyOpenPlacesView(ScopedListView):
    serializer_class = VolunteerOpenPlaceSerializer

    @extend_schema(description="Places on coming shifts the volunteer may sign up for.")
    def get(self, request: Request, volunteer_id: int) -> Response:
        volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
        return self.list_response(selectors.open_shifts_for(volunteer))


class MySignUpView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = VolunteerAssignmentSerializer

    @extend_schema(
        request=None,
        responses={201: VolunteerAssignmentSerializer, 200: VolunteerAssignmentSerializer},
        parameters=[IDEMPOTENCY],
        description="Sign up for a place. 409 full (no place left, also under concurrent "
        "sign-ups), overlap (another shift of yours at that time), training_required, "
        "team_only, closed (started), already_signed_up.",
    )
    def post(self, request: Request, volunteer_id: int, shift_post_id: int) -> Response:
        volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
        result = shifts.shift_sign_up(
            actor=request.user,
            volunteer=volunteer,
            shift_post_id=shift_post_id,
            idempotency_key=_key(request),
        )
        return Response(
            self.get_serializer(result.assignment).data,
            status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
        )


class MyCancelView(GenericAPIView):  # type: ignore[type-arg]
    serializer_class = VolunteerAssignmentSerializer

    @extend_schema(request=None, description="Give a place back before the shift starts.")
    def post(self, request: Request, assignment_id: int) -> Response:
        assignment = (
            Assignment.objects.filter(pk=assignment_id, volunteer__user_id=request.user.pk or 0)
            .select_related("volunteer__venue", "shift__venue")
            .first()
        )
        if assignment is None:
            raise NotFoundError()
        return Response(
            self.get_serializer(
                shifts.assignment_cancel(actor=request.user, assignment=assignment)
            ).data
        )


class MyCertificatesView(ScopedListView):
    serializer_class = VolunteerCertificateSerializer

    @extend_schema(description="The volunteer's certificates.")
    def get(self, request: Request, volunteer_id: int) -> Response:
        volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
        return self.list_response(selectors.certificate_list(volunteer).select_related("venue"))

    @extend_schema(
        request=CertificatePeriodInput,
        responses={201: VolunteerCertificateSerializer},
        description="Issue a service certificate for a period (by default since joining); "
        "409 no_service when nothing was served.",
    )
    def post(self, request: Request, volunteer_id: int) -> Response:
        volunteer = selectors.own_volunteer_get(user=request.user, volunteer_id=volunteer_id)
        period = validated(CertificatePeriodInput, request)
        certificate = certificate_issue(actor=request.user, volunteer=volunteer, **period)
        return Response(
            VolunteerCertificateSerializer(certificate).data, status=status.HTTP_201_CREATED
        )
