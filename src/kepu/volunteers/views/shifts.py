"""The coordinator's pages for deployment and service: shifts (a fortnight at a time), one-off
shifts and patterns, a shift's roster with check-in, check-out and corrections, the check-in
desk, teams, posts and training."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import NotFoundError
from kepu.core.forms import form_page, initial_from, submit
from kepu.core.scopes import Capability, scope_for
from kepu.network.selectors import venue_get
from kepu.volunteers import selectors
from kepu.volunteers.forms import (
    AssignForm,
    CorrectionForm,
    CourseForm,
    CourseSessionForm,
    DeskForm,
    FeedbackForm,
    PatternForm,
    PostForm,
    RecordServiceForm,
    ShiftForm,
    ShiftPlacesForm,
    TeamForm,
    TrainingForm,
)
from kepu.volunteers.models import Assignment, Course, Post, Team, Volunteer
from kepu.volunteers.services import people, service, shifts, training
from kepu.volunteers.services.common import require_desk
from kepu.volunteers.views.common import date_param, perform, post_form

MANAGE = Capability.MANAGE_VOLUNTEERS
DAYS_SHOWN = 14


def shift_list(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id)
    today = timezone.localdate()
    start = date_param(request, "start", today - timedelta(days=today.weekday()))
    end = start + timedelta(days=DAYS_SHOWN - 1)
    found = selectors.shifts_between(user=request.user, venue_id=venue.pk, start=start, end=end)
    return render(
        request,
        "volunteers/shifts.html",
        {
            "venue": venue,
            "shifts": found,
            "start": start,
            "end": end,
            "previous": start - timedelta(days=DAYS_SHOWN),
            "next": start + timedelta(days=DAYS_SHOWN),
            "fill": selectors.fill_rates(venue.pk, start, end),
            "can_manage": scope_for(request.user).can(MANAGE, venue.pk),
        },
    )


def shift_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    form = ShiftForm(request.POST or None, venue=venue)
    return form_page(
        request,
        form=form,
        action=lambda: shifts.shift_create(
            actor=request.user, venue=venue, data=form.service_data(), places=form.places()
        ),
        title=_("One-off shift"),
        cancel_url=reverse("volunteers-shifts", args=[venue.pk]),
        success_url=lambda made: reverse("volunteers-shift", args=[venue.pk, made.pk]),
        success_message=_("Saved."),
    )


def pattern_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    form = PatternForm(request.POST or None, venue=venue)
    if not form.is_bound:
        today = timezone.localdate()
        form.initial.update({"valid_from": today, "generate_until": today + timedelta(days=27)})

    def create() -> Any:
        data = form.cleaned_data
        pattern = shifts.pattern_create(
            actor=request.user,
            venue=venue,
            pattern=shifts.PatternInput(
                title=data["title"],
                weekdays=data["weekdays"],
                starts_at=data["starts"],
                ends_at=data["ends"],
                valid_from=data["valid_from"],
                valid_until=data["valid_until"],
                places=form.places(),
                hall=data["hall"],
                team=data["team"],
            ),
        )
        made = shifts.shifts_generate(
            actor=request.user,
            pattern=pattern,
            start=data["valid_from"],
            end=data["generate_until"],
        )
        messages.info(request, _("%(n)s shifts were made.") % {"n": len(made)})
        return pattern

    return form_page(
        request,
        form=form,
        action=create,
        title=_("Recurring shifts"),
        cancel_url=reverse("volunteers-shifts", args=[venue.pk]),
        success_url=reverse("volunteers-shifts", args=[venue.pk]),
        success_message=_("Saved."),
    )


def shift_detail(request: HttpRequest, venue_id: int, shift_id: int) -> HttpResponse:
    shift = selectors.shift_get(user=request.user, venue_id=venue_id, shift_id=shift_id)
    can_manage = scope_for(request.user).can(MANAGE, venue_id)
    can_desk = can_manage or scope_for(request.user).can(Capability.OPERATE_GATE, venue_id)
    assign_form = AssignForm()
    assign_form.fields["shift_post"].choices = [  # type: ignore[attr-defined]
        (entry.pk, entry.post.display_name) for entry in shift.posts.all()
    ]
    return render(
        request,
        "volunteers/shift.html",
        {
            "venue": shift.venue,
            "shift": shift,
            "assignments": selectors.shift_assignments(shift) if can_desk else [],
            "can_manage": can_manage,
            "can_desk": can_desk,
            "now": timezone.now(),
            "assign_form": assign_form,
            "record_form": RecordServiceForm(
                initial={
                    "checked_in_at": timezone.localtime(shift.starts_at),
                    "checked_out_at": timezone.localtime(shift.ends_at),
                }
            ),
            "correction_form": CorrectionForm(),
            "places_form": ShiftPlacesForm(venue=shift.venue),
            "feedback_form": FeedbackForm(),
        },
    )


@require_POST
def shift_cancel(request: HttpRequest, venue_id: int, shift_id: int) -> HttpResponse:
    shift = selectors.shift_get(
        user=request.user, venue_id=venue_id, shift_id=shift_id, capability=MANAGE
    )
    perform(
        request,
        lambda: shifts.shift_cancel(
            actor=request.user, shift=shift, reason=request.POST.get("reason", "")
        ),
        _("The shift is cancelled; its sign-ups with it."),
    )
    return redirect("volunteers-shift", venue_id, shift_id)


@require_POST
def shift_places(request: HttpRequest, venue_id: int, shift_id: int) -> HttpResponse:
    shift = selectors.shift_get(
        user=request.user, venue_id=venue_id, shift_id=shift_id, capability=MANAGE
    )
    form = ShiftPlacesForm(request.POST, venue=shift.venue)
    post_form(
        request,
        form,
        lambda: shifts.shift_set_places(
            actor=request.user,
            shift=shift,
            post=form.cleaned_data["post"],
            places=form.cleaned_data["places"],
        ),
        _("The places are changed."),
    )
    return redirect("volunteers-shift", venue_id, shift_id)


@require_POST
def shift_assign(request: HttpRequest, venue_id: int, shift_id: int) -> HttpResponse:
    shift = selectors.shift_get(
        user=request.user, venue_id=venue_id, shift_id=shift_id, capability=MANAGE
    )
    form = AssignForm(request.POST)
    form.fields["shift_post"].choices = [  # type: ignore[attr-defined]
        (entry.pk, entry.post.display_name) for entry in shift.posts.all()
    ]

    def assign() -> Assignment:
        entry = next(e for e in shift.posts.all() if e.pk == form.cleaned_data["shift_post"])
        volunteer = Volunteer.objects.filter(
            venue_id=venue_id, number=form.cleaned_data["number"].strip()
        ).first()
        if volunteer is None:
            from kepu.core.errors import ApplicationError

            raise ApplicationError.for_field(
                "number", _("No volunteer of this venue has this number.")
            )
        entry.shift = shift
        return shifts.shift_assign(actor=request.user, volunteer=volunteer, shift_post=entry)

    post_form(request, form, assign, _("The volunteer is on the shift."))
    return redirect("volunteers-shift", venue_id, shift_id)


def _assignment(request: HttpRequest, venue_id: int, assignment_id: int) -> Assignment:
    venue = venue_get(user=request.user, venue_id=venue_id)
    found = (
        Assignment.objects.filter(venue=venue, pk=assignment_id)
        .select_related("shift__venue", "shift_post__post", "volunteer__venue")
        .first()
    )
    if found is None:
        raise NotFoundError()
    return found


@require_POST
def assignment_action(
    request: HttpRequest, venue_id: int, assignment_id: int, action: str
) -> HttpResponse:
    """Check-in, check-out, no-show, record, correct, feedback or cancel, from the roster."""
    assignment = _assignment(request, venue_id, assignment_id)
    actor, post = request.user, request.POST
    tours = int(post.get("tours") or 0) if (post.get("tours") or "0").isdigit() else -1
    if action == "check_in":
        perform(
            request,
            lambda: service.assignment_check_in(actor=actor, assignment=assignment),
            _("Checked in."),
        )
    elif action == "check_out":
        perform(
            request,
            lambda: service.assignment_check_out(actor=actor, assignment=assignment, tours=tours),
            _("Checked out."),
        )
    elif action == "no_show":
        perform(
            request,
            lambda: service.assignment_no_show(actor=actor, assignment=assignment),
            _("Recorded as a no-show."),
        )
    elif action == "cancel":
        perform(
            request,
            lambda: shifts.assignment_cancel(actor=actor, assignment=assignment),
            _("The sign-up is cancelled."),
        )
    elif action == "record":
        record = RecordServiceForm(post)
        post_form(
            request,
            record,
            lambda: service.assignment_record(
                actor=actor,
                assignment=assignment,
                checked_in_at=record.cleaned_data["checked_in_at"],
                checked_out_at=record.cleaned_data["checked_out_at"],
                tours=record.cleaned_data["tours"] or 0,
            ),
            _("The service is recorded."),
        )
    elif action == "correct":
        correction = CorrectionForm(post)
        post_form(
            request,
            correction,
            lambda: service.assignment_correct(
                actor=actor,
                assignment=assignment,
                minutes=int(correction.cleaned_data["hours"] * Decimal(60)),
                tours=correction.cleaned_data["tours"] or 0,
                reason=correction.cleaned_data["reason"],
            ),
            _("The hours are corrected."),
        )
    elif action == "feedback":
        feedback = FeedbackForm(post)
        post_form(
            request,
            feedback,
            lambda: service.assignment_feedback(
                actor=actor,
                assignment=assignment,
                rating=feedback.cleaned_data["rating"],
                feedback=feedback.cleaned_data["feedback"],
            ),
            _("Saved."),
        )
    return redirect("volunteers-shift", venue_id, assignment.shift_id)


def desk(request: HttpRequest, venue_id: int) -> HttpResponse:
    """The check-in desk at the venue: scan a volunteer's QR code (or type their number)."""
    venue = venue_get(user=request.user, venue_id=venue_id)
    require_desk(request.user, venue)
    form = DeskForm(request.POST or None)
    result = None
    status = 200
    if request.method == "POST":
        result = submit(
            request,
            form,
            lambda: service.desk_scan(
                actor=request.user,
                venue=venue,
                code=form.cleaned_data["code"],
                tours=form.cleaned_data["tours"] or 0,
            ),
        )
        if result is not None:
            messages.success(
                request,
                _("Checked in: %(name)s") % {"name": result.assignment.volunteer.name_masked}
                if result.action == "check_in"
                else _("Checked out: %(name)s, %(hours)s hours")
                % {
                    "name": result.assignment.volunteer.name_masked,
                    "hours": result.assignment.hours,
                },
            )
            form = DeskForm()
        else:
            status = 422
    today = timezone.localdate()
    return render(
        request,
        "volunteers/desk.html",
        {
            "venue": venue,
            "form": form,
            "result": result,
            "today_shifts": selectors.shifts_between(
                user=request.user, venue_id=venue.pk, start=today, end=today
            ),
        },
        status=status,
    )


# Teams, posts, training --------------------------------------------------------------------------


def teams(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    return render(
        request,
        "volunteers/teams.html",
        {"venue": venue, "teams": selectors.team_list(venue.pk)},
    )


def team_edit(request: HttpRequest, venue_id: int, team_id: int | None = None) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    team = Team.objects.filter(venue=venue, pk=team_id).first() if team_id else None
    if team_id and team is None:
        raise NotFoundError()
    form = TeamForm(request.POST or None, venue=venue, instance=Team(venue=venue, pk=team_id))
    if team is not None and request.method != "POST":
        form.initial = initial_from(team, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: (
            people.team_update(actor=request.user, team=team, data=form.cleaned_data)
            if team is not None
            else people.team_create(actor=request.user, venue=venue, data=form.cleaned_data)
        ),
        title=_("Volunteer team"),
        cancel_url=reverse("volunteers-teams", args=[venue.pk]),
        success_url=reverse("volunteers-teams", args=[venue.pk]),
        success_message=_("Saved."),
    )


def training_page(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    return render(
        request,
        "volunteers/training.html",
        {
            "venue": venue,
            "posts": Post.objects.filter(venue=venue).select_related("required_course"),
            "courses": Course.objects.filter(venue=venue).prefetch_related("sessions"),
        },
    )


def post_edit(request: HttpRequest, venue_id: int, post_id: int | None = None) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    post = Post.objects.filter(venue=venue, pk=post_id).first() if post_id else None
    if post_id and post is None:
        raise NotFoundError()
    form = PostForm(request.POST or None, venue=venue, instance=Post(venue=venue, pk=post_id))
    if post is not None and request.method != "POST":
        form.initial = initial_from(post, form.fields)
    return form_page(
        request,
        form=form,
        action=lambda: (
            shifts.post_update(actor=request.user, post=post, data=form.cleaned_data)
            if post is not None
            else shifts.post_create(actor=request.user, venue=venue, data=form.cleaned_data)
        ),
        title=_("Volunteer post"),
        cancel_url=reverse("volunteers-training", args=[venue.pk]),
        success_url=reverse("volunteers-training", args=[venue.pk]),
        success_message=_("Saved."),
    )


def course_new(request: HttpRequest, venue_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    form = CourseForm(request.POST or None, instance=Course(venue=venue))
    return form_page(
        request,
        form=form,
        action=lambda: training.course_create(
            actor=request.user, venue=venue, data=form.cleaned_data
        ),
        title=_("Training course"),
        cancel_url=reverse("volunteers-training", args=[venue.pk]),
        success_url=lambda made: reverse("volunteers-course", args=[venue.pk, made.pk]),
        success_message=_("Saved."),
    )


def course_detail(request: HttpRequest, venue_id: int, course_id: int) -> HttpResponse:
    venue = venue_get(user=request.user, venue_id=venue_id, capability=MANAGE)
    course = Course.objects.filter(venue=venue, pk=course_id).first()
    if course is None:
        raise NotFoundError()
    session_form = CourseSessionForm(
        request.POST if "add_session" in request.POST else None,
        instance=None,
    )
    training_form = TrainingForm(request.POST if "record" in request.POST else None, course=course)
    done: object = None
    if request.method == "POST" and "add_session" in request.POST:
        done = post_form(
            request,
            session_form,
            lambda: training.course_session_create(
                actor=request.user, course=course, data=session_form.cleaned_data
            ),
            _("Saved."),
        )
    elif request.method == "POST" and "record" in request.POST:
        done = post_form(
            request,
            training_form,
            lambda: training.training_record(
                actor=request.user,
                course=course,
                volunteers=list(training_form.cleaned_data["volunteers"]),
                completed_on=training_form.cleaned_data["completed_on"],
                passed=training_form.cleaned_data["passed"],
                session=training_form.cleaned_data["session"],
                note=training_form.cleaned_data["note"],
            ),
            _("The training is recorded."),
        )
    if done:
        return redirect("volunteers-course", venue.pk, course.pk)
    return render(
        request,
        "volunteers/course.html",
        {
            "venue": venue,
            "course": course,
            "sessions": course.sessions.order_by("-starts_at"),
            "records": course.records.select_related("volunteer", "session").order_by(
                "-completed_on", "volunteer__number"
            )[:300],
            "session_form": session_form,
            "training_form": training_form,
        },
    )
