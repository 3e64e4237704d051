from django.urls import path

from kepu.visits.views import public, staff

public_urls = [
    path("", public.index, name="visit-index"),
    path("lookup/", public.lookup, name="visit-lookup"),
    path("b/<str:token>/", public.booking_page, name="visit-booking"),
    path("b/<str:token>/cancel/", public.booking_cancel_view, name="visit-booking-cancel"),
    path("waitlist/<str:token>/", public.waitlist_page, name="visit-waitlist"),
    path("<int:venue_id>/", public.venue_page, name="visit-venue"),
    path("<int:venue_id>/book/<int:slot_id>/", public.book, name="visit-book"),
    path("<int:venue_id>/group/", public.group_request, name="visit-group"),
]

venue = "venues/<int:venue_id>/"
staff_urls = [
    path(venue + "visits/", staff.visits_day, name="visits-day"),
    path(venue + "visits/settings/", staff.settings_page, name="visits-settings"),
    path(venue + "visits/slots/", staff.templates_page, name="visits-templates"),
    path(venue + "visits/slots/new/", staff.template_edit, name="visits-template-new"),
    path(
        venue + "visits/slots/<int:template_id>/edit/",
        staff.template_edit,
        name="visits-template-edit",
    ),
    path(venue + "visits/slot/<int:slot_id>/", staff.slot_detail, name="visits-slot"),
    path(
        venue + "visits/bookings/<int:booking_id>/decide/",
        staff.group_decide,
        name="visits-group-decide",
    ),
    path(
        venue + "visits/bookings/<int:booking_id>/cancel/",
        staff.staff_cancel,
        name="visits-staff-cancel",
    ),
    path(venue + "gate/", staff.gate_page, name="visits-gate"),
    path(venue + "gate/lookup/", staff.gate_lookup, name="visits-gate-lookup"),
    path(venue + "gate/check-in/", staff.gate_check_in, name="visits-gate-check-in"),
    path(venue + "gate/count/", staff.gate_count, name="visits-gate-count"),
    path(venue + "attendance/", staff.attendance_page, name="visits-attendance"),
]
