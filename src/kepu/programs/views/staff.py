"""The venue's programme pages: activities, sessions, the calendar, sign-ups, XLSX in and out,
caravan trips, schools, and joint actions. Views stay thin: selectors read, services write."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from kepu.core.forms import add_application_error, form_page, initial_from
from kepu.core.params import year_param
from kepu.core.scopes import Capability, scope_for
from kepu.network.models import Alliance
from kepu.network.selectors import venue_get
from kepu.programs import selectors
from kepu.programs.forms import (
    ActivityFilterForm,
    ActivityForm,
    CampaignForm,
    CampaignReportForm,
    CaravanForm,
    CompetitionForm,
    ExpertForm,
    ImportForm,
    PartnershipForm,
    RecordForm,
    SessionForm,
    StopFormSet,
    ThemeDayForm,
    TripForm,
    WorkersForm,
)
from kepu.programs.models import ActivityType, Registration
from kepu.programs.services import activities, registry, signup, spreadsheet


def programme(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id)
    form = ActivityFilterForm(request.GET or {"year": timezone.localdate().year})
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "activity_type": data["activity_type"],
            "audience": data["audience"],
            "year": data["year"],
            "month": data["month"] if data["year"] else None,
            "outreach": {"venue": False, "outreach": True}.get(data["where"]),
            "search": data["q"].strip(),
        }
    year = filters.get("year") or timezone.localdate().year
    figures = selectors.programme_figures(venue, date(year, 1, 1), date(year, 12, 31))
    by_type = [
        (ActivityType(kind).label, sessions, participants)
        for kind, (sessions, participants) in sorted(
            figures.by_type.items(), key=lambda item: -int(item[1][0].value)
        )
    ]
    return render(
        request,
        "programs/programme.html",
        {
            "venue": venue,
            "form": form,
            "activities": selectors.activity_list(user=request.user, venue_id=venue.pk, **filters)[
                :300
            ],
            "figures": figures,
            "by_type": by_type,
            "year": year,
            "can_manage": scope_for(request.user).can(Capability.MANAGE_PROGRAMS, venue.pk),
        },
    )


def calendar_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id)
    today = timezone.localdate()
    year = year_param(request)
    try:
        month = min(12, max(1, int(request.GET.get("month", today.month))))
    except ValueError:
        month = today.month
    grid = selectors.month_grid(user=request.user, venue_id=venue.pk, year=year, month=month)
    return render(
        request,
        "programs/calendar.html",
        {"venue": venue, "grid": grid, "today": today, "month_start": date(year, month, 1)},
    )


def activity_edit(
    request: HttpRequest, venue_id: int, activity_id: int | None = None
) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    activity = (
        selectors.activity_get(
            user=request.user,
            venue_id=venue.pk,
            activity_id=activity_id,
            capability=Capability.MANAGE_PROGRAMS,
        )
        if activity_id is not None
        else None
    )
    form = ActivityForm(request.POST or None, venue=venue)
    if activity is not None and request.method != "POST":
        form.initial = initial_from(activity, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: (
            activities.activity_update(
                actor=request.user, activity=activity, data=form.cleaned_data
            )
            if activity is not None
            else activities.activity_create(actor=request.user, venue=venue, data=form.cleaned_data)
        ),
        title=_("Activity") if activity is None else activity.display_name,
        cancel_url=reverse("programs-activity", args=[venue.pk, activity.pk])
        if activity is not None
        else reverse("programs-list", args=[venue.pk]),
        success_url=lambda made: reverse("programs-activity", args=[venue.pk, made.pk]),
        success_message=_("Saved."),
    )


def activity_detail(request: HttpRequest, venue_id: int, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get(user=request.user, venue_id=venue_id, activity_id=activity_id)
    return render(
        request,
        "programs/activity.html",
        {
            "venue": activity.venue,
            "activity": activity,
            "sessions": selectors.activity_sessions(activity),
            "can_manage": scope_for(request.user).can(Capability.MANAGE_PROGRAMS, venue_id),
        },
    )


@require_POST
def activity_delete(request: HttpRequest, venue_id: int, activity_id: int) -> HttpResponse:
    activity = selectors.activity_get(
        user=request.user,
        venue_id=venue_id,
        activity_id=activity_id,
        capability=Capability.MANAGE_PROGRAMS,
    )
    try:
        activities.activity_delete(actor=request.user, activity=activity)
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
        return redirect("programs-activity", venue_id, activity_id)
    messages.success(request, _("The activity was removed."))
    return redirect("programs-list", venue_id)


def session_edit(
    request: HttpRequest,
    venue_id: int,
    activity_id: int | None = None,
    session_id: int | None = None,
) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    session = (
        selectors.session_get(
            user=request.user,
            venue_id=venue.pk,
            session_id=session_id,
            capability=Capability.MANAGE_PROGRAMS,
        )
        if session_id is not None
        else None
    )
    activity = (
        session.activity
        if session is not None
        else selectors.activity_get(
            user=request.user,
            venue_id=venue.pk,
            activity_id=activity_id or 0,
            capability=Capability.MANAGE_PROGRAMS,
        )
    )
    form = SessionForm(request.POST or None, venue=venue)
    if session is not None and request.method != "POST":
        form.initial = SessionForm.initial_for(session)
    return form_page(
        request,
        form=form,
        action=lambda: (
            activities.session_update(actor=request.user, session=session, data=form.service_data())
            if session is not None
            else activities.session_create(
                actor=request.user, activity=activity, data=form.service_data()
            )
        ),
        title=_("Session of %(activity)s") % {"activity": activity.display_name},
        cancel_url=reverse("programs-activity", args=[venue.pk, activity.pk]),
        success_url=lambda made: reverse("programs-session", args=[venue.pk, made.pk]),
        success_message=_("Saved."),
    )


def session_detail(request: HttpRequest, venue_id: int, session_id: int) -> HttpResponse:
    session = selectors.session_get(user=request.user, venue_id=venue_id, session_id=session_id)
    can_manage = scope_for(request.user).can(Capability.MANAGE_PROGRAMS, venue_id)
    initial = {
        "participants": session.participants,
        "participants_approximate": session.participants_approximate,
        "online_viewers": session.online_viewers,
        "online_approximate": session.online_approximate,
        "st_workers": session.st_workers,
        "st_workers_approximate": session.st_workers_approximate,
    }
    form = RecordForm(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST":
        if not can_manage:
            raise PermissionDeniedError()
        if form.is_valid():
            try:
                activities.session_record(
                    actor=request.user, session=session, data=form.cleaned_data
                )
                messages.success(request, _("Participants recorded."))
                return redirect("programs-session", venue_id, session_id)
            except (NotFoundError, PermissionDeniedError):
                raise
            except ApplicationError as error:
                add_application_error(form, error)
                messages.error(request, str(error.message))
        else:
            messages.error(request, _("Please correct the errors below."))
        status = 422
    return render(
        request,
        "programs/session.html",
        {
            "venue": session.venue,
            "session": session,
            "activity": session.activity,
            "form": form,
            "registrations": selectors.session_registrations(session),
            "workers": session.workers.select_related("expert"),
            "workers_form": WorkersForm(
                venue=session.venue,
                initial={"experts": [w.expert_id for w in session.workers.all()]},
            ),
            "can_manage": can_manage,
        },
        status=status,
    )


@require_POST
def session_cancel(request: HttpRequest, venue_id: int, session_id: int) -> HttpResponse:
    session = selectors.session_get(
        user=request.user,
        venue_id=venue_id,
        session_id=session_id,
        capability=Capability.MANAGE_PROGRAMS,
    )
    try:
        activities.session_cancel(
            actor=request.user, session=session, reason=request.POST.get("reason", "")
        )
        messages.success(request, _("The session was cancelled; its sign-ups with it."))
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("programs-session", venue_id, session_id)


@require_POST
def registration_attend(request: HttpRequest, venue_id: int, registration_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    registration = (
        Registration.objects.filter(venue=venue, pk=registration_id)
        .select_related("session__venue")
        .first()
    )
    if registration is None:
        raise NotFoundError()
    try:
        signup.registration_attend(
            actor=request.user,
            registration=registration,
            attended=int(request.POST.get("attended", "")),
        )
        messages.success(request, _("Attendance recorded."))
    except ValueError:
        messages.error(request, _("Enter how many came."))
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
    return redirect("programs-session", venue_id, registration.session_id)


def programme_export(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id)
    year = year_param(request)
    content = spreadsheet.programme_export(
        user=request.user,
        venue=venue,
        start=date(year, 1, 1),
        end=date(year, 12, 31),
        language=get_language() or "zh-hans",
    )
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    filename = f"programme-{venue.pk}-{year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def programme_import(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[tuple[str, str]] = []
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = spreadsheet.programme_import(
                    actor=request.user, venue=venue, data=form.cleaned_data["file"].read()
                )
                messages.success(
                    request,
                    _(
                        "Imported: %(activities)s new activities, %(sessions)s new sessions "
                        "(%(skipped)s already there)."
                    )
                    % {
                        "activities": result.activities_created,
                        "sessions": result.sessions_created,
                        "skipped": result.sessions_skipped,
                    },
                )
                return redirect("programs-list", venue.pk)
            except (NotFoundError, PermissionDeniedError):
                raise
            except ApplicationError as error:
                messages.error(request, str(error.message))
                problems = [
                    (row, "; ".join(str(r) for r in reasons))
                    for row, reasons in error.fields.items()
                ]
        status = 422
    return render(
        request,
        "programs/import.html",
        {"venue": venue, "form": form, "problems": problems},
        status=status,
    )


def trips_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id)
    year = year_param(request)
    trips = selectors.venue_trips(user=request.user, venue_id=venue.pk, year=year)
    figures = selectors.programme_figures(venue, date(year, 1, 1), date(year, 12, 31))
    return render(
        request,
        "programs/trips.html",
        {
            "venue": venue,
            "year": year,
            "trips": trips,
            "figures": figures,
            "caravans": selectors.venue_caravans(user=request.user, venue_id=venue.pk),
            "can_manage": scope_for(request.user).can(Capability.MANAGE_PROGRAMS, venue.pk),
        },
    )


def schools_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id)
    today = timezone.localdate()
    year = year_param(request)
    return render(
        request,
        "programs/schools.html",
        {
            "venue": venue,
            "year": year,
            "partnerships": selectors.venue_partnerships(user=request.user, venue_id=venue.pk),
            "active": selectors.partnerships_active(venue, date(year, 1, 1), date(year, 12, 31))
            .values("school")
            .distinct()
            .count(),
            "coverage": selectors.vice_principal_coverage(venue, today),
            "experts": selectors.venue_experts(user=request.user, venue_id=venue.pk),
            "competitions": selectors.venue_competitions(user=request.user, venue_id=venue.pk),
            "can_manage": scope_for(request.user).can(Capability.MANAGE_PROGRAMS, venue.pk),
        },
    )


def campaigns_page(request: HttpRequest) -> HttpResponse:
    scope = scope_for(request.user)
    year = year_param(request)
    return render(
        request,
        "programs/campaigns.html",
        {
            "can_start": scope.is_national or bool(scope.coordinated_alliance_ids),
            "can_theme_days": scope.is_national,
            "campaigns": selectors.campaign_list(user=request.user),
            "theme_days": selectors.theme_days(year),
            "year": year,
        },
    )


def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    reports = list(selectors.campaign_reports(user=request.user, campaign=campaign))
    scope = scope_for(request.user)
    own_venues = [
        venue_id
        for venue_id, capabilities in scope.venue_capabilities.items()
        if Capability.MANAGE_PROGRAMS in capabilities
    ]
    return render(
        request,
        "programs/campaign.html",
        {
            "campaign": campaign,
            "themes": campaign.themes.all(),
            "reports": reports,
            "totals": selectors.campaign_totals(reports),
            "own_venues": own_venues,
        },
    )


def campaign_report_new(request: HttpRequest, campaign_id: int, venue_id: int) -> HttpResponse:
    campaign = selectors.campaign_get(user=request.user, campaign_id=campaign_id)
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    form = CampaignReportForm(request.POST or None, themes=campaign.themes.all())
    return form_page(
        request,
        form=form,
        action=lambda: registry.campaign_report_create(
            actor=request.user, campaign=campaign, venue=venue, data=form.cleaned_data
        ),
        title=_("Our part in %(campaign)s") % {"campaign": campaign.display_name},
        cancel_url=reverse("programs-campaign", args=[campaign.pk]),
        success_url=reverse("programs-campaign", args=[campaign.pk]),
        success_message=_("Saved."),
    )


def _simple_create(
    request: HttpRequest,
    venue_id: int,
    form_class: Any,
    create: Any,
    title: str,
    back: str,
) -> HttpResponse:
    """A page with one model form whose service takes (actor, venue, data)."""
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    form = form_class(request.POST or None)
    return form_page(
        request,
        form=form,
        action=lambda: create(actor=request.user, venue=venue, data=form.cleaned_data),
        title=title,
        cancel_url=reverse(back, args=[venue.pk]),
        success_url=reverse(back, args=[venue.pk]),
        success_message=_("Saved."),
    )


def expert_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    return _simple_create(
        request, venue_id, ExpertForm, registry.expert_create, _("S&T worker"), "programs-schools"
    )


def competition_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    return _simple_create(
        request,
        venue_id,
        CompetitionForm,
        registry.competition_create,
        _("Competition or training"),
        "programs-schools",
    )


def caravan_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    return _simple_create(
        request, venue_id, CaravanForm, registry.caravan_create, _("Caravan"), "programs-trips"
    )


def partnership_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    form = PartnershipForm(request.POST or None, venue=venue)

    def create() -> Any:
        data = form.cleaned_data
        school = data["school"]
        with transaction.atomic():
            if school is None:
                if venue.division is None:
                    raise ApplicationError.for_field("new_school", _("The venue has no division."))
                school = registry.school_get_or_create(
                    actor=request.user,
                    name=data["new_school"],
                    division=venue.division,
                    kind=data["school_kind"] or "primary",
                )
            return registry.partnership_create(
                actor=request.user,
                venue=venue,
                data={
                    "school": school,
                    "signed_on": data["signed_on"],
                    "ends_on": data["ends_on"],
                    "note": data["note"],
                },
            )

    return form_page(
        request,
        form=form,
        action=create,
        title=_("School partnership"),
        cancel_url=reverse("programs-schools", args=[venue.pk]),
        success_url=reverse("programs-schools", args=[venue.pk]),
        success_message=_("Saved."),
    )


def trip_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=Capability.MANAGE_PROGRAMS)
    form = TripForm(request.POST or None, venue=venue)
    stops = StopFormSet(request.POST or None, prefix="stops")
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid() and stops.is_valid():
            given = [stop for stop in stops if not stop.is_blank()]
            try:
                trip = registry.trip_create(
                    actor=request.user,
                    venue=venue,
                    data=form.cleaned_data,
                    stops=[
                        registry.StopInput(
                            day=stop.cleaned_data["day"] or form.cleaned_data["starts_on"],
                            name=stop.cleaned_data["name"],
                            place_kind=stop.cleaned_data["place_kind"],
                            division=venue.division,
                            people_served=stop.cleaned_data["people_served"] or 0,
                            people_approximate=stop.cleaned_data["people_approximate"],
                        )
                        for stop in given
                    ],
                )
                messages.success(request, _("The trip is recorded."))
                return redirect(
                    f"{reverse('programs-trips', args=[venue.pk])}?year={trip.starts_on.year}"
                )
            except (NotFoundError, PermissionDeniedError):
                raise
            except ApplicationError as error:
                add_application_error(form, error)
                for name, reasons in error.fields.items():
                    if name.startswith("stops."):
                        _prefix, index, field = name.split(".", 2)
                        position = [i for i, s in enumerate(stops) if not s.is_blank()][int(index)]
                        stops[position].add_error(
                            field if field in stops[position].fields else None,
                            "; ".join(str(r) for r in reasons),
                        )
                messages.error(request, str(error.message))
        else:
            messages.error(request, _("Please correct the errors below."))
    return render(
        request,
        "programs/trip_form.html",
        {"venue": venue, "form": form, "stops": stops},
        status=status,
    )


def campaign_new(request: HttpRequest) -> HttpResponse:
    """National administrators start network-wide actions; coordinators their alliance's."""
    scope = scope_for(request.user)
    if not (scope.is_national or scope.coordinated_alliance_ids):
        raise PermissionDeniedError()
    alliances = Alliance.objects.order_by("name")
    if not scope.is_national:
        alliances = alliances.filter(pk__in=sorted(scope.coordinated_alliance_ids))
    form = CampaignForm(request.POST or None, alliances=alliances)

    def create() -> Any:
        data, themes = form.service_data()
        return registry.campaign_create(actor=request.user, data=data, themes=themes)

    return form_page(
        request,
        form=form,
        action=create,
        title=_("New joint action"),
        cancel_url=reverse("programs-campaigns"),
        success_url=lambda made: reverse("programs-campaign", args=[made.pk]),
        success_message=_("Saved."),
    )


def theme_day_new(request: HttpRequest) -> HttpResponse:
    if not scope_for(request.user).is_national:
        raise PermissionDeniedError()
    form = ThemeDayForm(request.POST or None)
    return form_page(
        request,
        form=form,
        action=lambda: registry.theme_day_create(actor=request.user, data=form.cleaned_data),
        title=_("Theme day"),
        cancel_url=reverse("programs-campaigns"),
        success_url=lambda made: f"{reverse('programs-campaigns')}?year={made.starts_on.year}",
        success_message=_("Saved."),
    )


@require_POST
def session_workers(request: HttpRequest, venue_id: int, session_id: int) -> HttpResponse:
    session = selectors.session_get(
        user=request.user,
        venue_id=venue_id,
        session_id=session_id,
        capability=Capability.MANAGE_PROGRAMS,
    )
    form = WorkersForm(request.POST, venue=session.venue)
    if form.is_valid():
        try:
            activities.session_workers_set(
                actor=request.user,
                session=session,
                workers=[
                    (expert, form.cleaned_data["role"]) for expert in form.cleaned_data["experts"]
                ],
            )
            messages.success(request, _("Saved."))
        except (NotFoundError, PermissionDeniedError):
            raise
        except ApplicationError as error:
            messages.error(request, str(error.message))
    else:
        messages.error(request, _("Please correct the errors below."))
    return redirect("programs-session", venue_id, session_id)
