"""A stop's page (its visitors, opening and closing) and a host venue's stops."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kepu.core.errors import ApplicationError, NotFoundError, PermissionDeniedError
from kepu.core.forms import submit
from kepu.network.selectors import venue_get
from kepu.touring import selectors
from kepu.touring.forms import StopStatusForm, VisitorsForm
from kepu.touring.services import tours


def stop_detail(request: HttpRequest, stop_id: int) -> HttpResponse:
    stop = selectors.stop_get(user=request.user, stop_id=stop_id)
    can_record = selectors.can_record(request.user, stop)
    form = VisitorsForm(request.POST or None, initial={"starts_on": stop.starts_on})
    if request.method == "POST":
        if not can_record:
            raise PermissionDeniedError()
        if submit(
            request,
            form,
            lambda: tours.stop_record_visitors(
                actor=request.user, stop=stop, data=form.cleaned_data
            ),
        ):
            messages.success(request, _("Visitors recorded."))
            return redirect("touring-stop", stop.pk)
    attendance = list(selectors.stop_attendance(stop))
    return render(
        request,
        "touring/stop.html",
        {
            "stop": stop,
            "region": stop.region,
            "attendance": attendance,
            "total": sum(record.visitors for record in attendance),
            "approximate": any(record.approximate for record in attendance),
            "transfer": getattr(stop, "transfer_in", None),
            "form": form,
            "status_form": StopStatusForm(initial={"opens_on": stop.starts_on}),
            "can_record": can_record,
            "can_plan": selectors.can_plan(request.user, stop.region),
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def stop_status(request: HttpRequest, stop_id: int) -> HttpResponse:
    stop = selectors.stop_get(user=request.user, stop_id=stop_id)
    form = StopStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please correct the errors below."))
        return redirect("touring-stop", stop.pk)
    action = form.cleaned_data["action"]
    try:
        if action == "open":
            opens_on = form.cleaned_data["opens_on"]
            if opens_on is None:
                raise ApplicationError.for_field("opens_on", _("Give the day it opened."))
            tours.stop_open(actor=request.user, stop=stop, opens_on=opens_on)
        elif action == "close":
            tours.stop_close(actor=request.user, stop=stop)
        else:
            tours.stop_cancel(actor=request.user, stop=stop, reason=form.cleaned_data["reason"])
    except (NotFoundError, PermissionDeniedError):
        raise
    except ApplicationError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("Saved."))
    return redirect("touring-stop", stop.pk)


def venue_touring(request: HttpRequest, venue_id: int) -> HttpResponse:
    """The touring sets a venue has hosted and hosts, with their visitors."""
    venue = venue_get(user=request.user, venue_id=venue_id)
    return render(
        request,
        "touring/venue.html",
        {"venue": venue, "stops": selectors.venue_stops(venue_id=venue.pk)[:100]},
    )
