"""API shapes. Input serializers only validate types; the services apply the rules and save."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from kepu.core.models import AuditEntry, User
from kepu.network.models import (
    Alliance,
    CalendarException,
    Division,
    Hall,
    Membership,
    MembershipRole,
    OpeningPattern,
    Organisation,
    OrganisationYear,
    Venue,
)
from kepu.network.opening import DayStatus, PeriodSummary


class WeekdaysField(serializers.ListField):
    """Open days as ISO weekday numbers, Monday 1 … Sunday 7 (stored as a bit mask)."""

    child = serializers.IntegerField(min_value=1, max_value=7)

    # The API speaks ISO weekday lists; the model stores a bit mask, so the types differ on purpose.
    def to_internal_value(self, data: Any) -> int:  # type: ignore[override]
        days = super().to_internal_value(data)
        return OpeningPattern.mask_from_weekdays(days)

    def to_representation(self, value: Any) -> list[int]:
        return [day + 1 for day in range(7) if int(value) >> day & 1]


class DivisionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Division
        fields = ["code", "name", "name_en", "level", "parent", "latitude", "longitude"]


class DivisionBriefSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    full_name = serializers.CharField(read_only=True)

    class Meta:
        model = Division
        fields = ["code", "name", "name_en", "level", "full_name"]


class VenueSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    division = serializers.PrimaryKeyRelatedField(queryset=Division.objects.all())
    division_detail = DivisionBriefSerializer(source="division", read_only=True)

    class Meta:
        model = Venue
        fields = [
            "id",
            "name",
            "name_en",
            "short_name",
            "kind",
            "level",
            "organisation",
            "division",
            "division_detail",
            "address",
            "latitude",
            "longitude",
            "phone",
            "website",
            "description",
            "opened_on",
            "is_active",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["id", "created_at", "updated_at"]
        validators: list[Any] = []


class HallSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Hall
        fields = [
            "id",
            "venue",
            "name",
            "name_en",
            "kind",
            "area_m2",
            "floor",
            "opened_on",
            "closed_on",
            "description",
        ]
        read_only_fields = ["id", "venue"]
        validators: list[Any] = []


class OpeningPatternSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    open_weekdays = WeekdaysField(
        help_text="ISO weekday numbers on which the venue opens: Monday 1 … Sunday 7."
    )

    class Meta:
        model = OpeningPattern
        fields = [
            "id",
            "venue",
            "valid_from",
            "open_weekdays",
            "opens_at",
            "closes_at",
            "last_entry_at",
            "holiday_policy",
            "closed_day_reason",
            "note",
        ]
        read_only_fields = ["id", "venue"]
        validators: list[Any] = []


class CalendarExceptionSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = CalendarException
        fields = ["id", "venue", "kind", "category", "starts_on", "ends_on", "reason", "reason_en"]
        read_only_fields = ["id", "venue"]


class DayStatusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    date = serializers.DateField(source="day")
    is_open = serializers.BooleanField()
    reason = serializers.CharField()
    explanation = serializers.CharField()
    holiday = serializers.CharField(allow_null=True)
    adjusted_workday_for = serializers.CharField(allow_null=True)
    holidays_known = serializers.BooleanField()
    opens_at = serializers.TimeField(allow_null=True)
    closes_at = serializers.TimeField(allow_null=True)
    exception = serializers.SerializerMethodField()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_exception(self, status: DayStatus) -> int | None:
        return status.exception.pk if status.exception else None


class CalendarPeriodSerializer(serializers.Serializer):  # type: ignore[type-arg]
    venue = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    open_days = serializers.IntegerField()
    closed_days = serializers.IntegerField()
    holidays_known = serializers.BooleanField()
    unknown_holiday_years = serializers.ListField(child=serializers.IntegerField())
    by_reason = serializers.DictField(child=serializers.IntegerField())
    # DRF moves declared fields off the class, so this does not shadow Field.source at run time.
    source = serializers.CharField()  # type: ignore[assignment]
    days = DayStatusSerializer(many=True)

    @staticmethod
    def build(venue_id: int, summary: PeriodSummary, days: list[DayStatus]) -> dict[str, Any]:
        return {
            "venue": venue_id,
            "start": summary.start,
            "end": summary.end,
            "open_days": summary.open_days,
            "closed_days": summary.closed_days,
            "holidays_known": summary.holidays_known,
            "unknown_holiday_years": summary.unknown_holiday_years,
            "by_reason": {str(reason): count for reason, count in summary.by_reason.items()},
            "source": summary.source,
            "days": days,
        }


class OrganisationSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "name_en",
            "credit_code",
            "purpose_and_scope",
            "address",
            "division",
            "legal_representative",
            "startup_capital_cny",
            "funding_source",
            "sponsor",
            "online_name",
        ]
        read_only_fields = ["id"]
        validators: list[Any] = []


class OrganisationYearSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = OrganisationYear
        fields = ["organisation", "year", "assets_start_cny", "assets_end_cny", "headcount"]
        read_only_fields = ["organisation", "year"]
        validators: list[Any] = []


class AllianceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    member_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Alliance
        fields = [
            "id",
            "name",
            "name_en",
            "short_name",
            "parent",
            "founded_on",
            "region",
            "description",
            "member_count",
        ]
        read_only_fields = ["id", "member_count"]
        validators: list[Any] = []


class MembershipSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    venue_name = serializers.CharField(source="venue.name", read_only=True)
    province = serializers.SerializerMethodField()

    class Meta:
        model = Membership
        fields = ["id", "alliance", "venue", "venue_name", "province", "role", "since", "until"]
        read_only_fields = ["id", "alliance", "venue", "venue_name", "province"]
        validators: list[Any] = []

    def get_province(self, membership: Membership) -> str:
        return membership.venue.division.province_code


class MembershipCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    venue = serializers.PrimaryKeyRelatedField(queryset=Venue.objects.all())
    role = serializers.ChoiceField(choices=MembershipRole.choices, default=MembershipRole.MEMBER)
    since = serializers.DateField()


class AuditEntrySerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "actor",
            "actor_name",
            "action",
            "target_type",
            "target_id",
            "target_repr",
            "venue",
            "alliance",
            "before",
            "after",
            "request_id",
        ]


class RoleSerializer(serializers.Serializer):  # type: ignore[type-arg]
    role = serializers.CharField()
    venue = serializers.IntegerField(allow_null=True)
    alliance = serializers.IntegerField(allow_null=True)


class MeSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "preferred_language", "roles"]

    @extend_schema_field(RoleSerializer(many=True))
    def get_roles(self, user: User) -> list[dict[str, Any]]:
        return [
            {"role": a.role, "venue": a.venue_id, "alliance": a.alliance_id}
            for a in user.role_assignments.all()
        ]
