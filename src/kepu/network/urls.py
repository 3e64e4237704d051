from django.urls import path

from kepu.network import views

urlpatterns = [
    path("venues/", views.venue_list, name="venue-list"),
    path("venues/new/", views.venue_create, name="venue-create"),
    path("venues/<int:venue_id>/", views.venue_detail, name="venue-detail"),
    path("venues/<int:venue_id>/edit/", views.venue_edit, name="venue-edit"),
    path("venues/<int:venue_id>/halls/new/", views.hall_create, name="hall-create"),
    path("venues/<int:venue_id>/halls/<int:hall_id>/edit/", views.hall_edit, name="hall-edit"),
    path("venues/<int:venue_id>/calendar/", views.venue_calendar, name="venue-calendar"),
    path("venues/<int:venue_id>/calendar/day/", views.venue_day, name="venue-day"),
    path(
        "venues/<int:venue_id>/calendar/patterns/new/",
        views.pattern_create,
        name="pattern-create",
    ),
    path(
        "venues/<int:venue_id>/calendar/patterns/<int:pattern_id>/edit/",
        views.pattern_edit,
        name="pattern-edit",
    ),
    path(
        "venues/<int:venue_id>/calendar/exceptions/new/",
        views.exception_create,
        name="exception-create",
    ),
    path(
        "venues/<int:venue_id>/calendar/exceptions/<int:exception_id>/delete/",
        views.exception_delete,
        name="exception-delete",
    ),
    path(
        "venues/<int:venue_id>/organisation/edit/",
        views.organisation_edit,
        name="organisation-edit",
    ),
    path(
        "venues/<int:venue_id>/organisation/year/",
        views.organisation_year,
        name="organisation-year",
    ),
    path("alliances/", views.alliance_list, name="alliance-list"),
    path("alliances/new/", views.alliance_create, name="alliance-create"),
    path("alliances/<int:alliance_id>/", views.alliance_detail, name="alliance-detail"),
    path("alliances/<int:alliance_id>/edit/", views.alliance_edit, name="alliance-edit"),
    path("alliances/<int:alliance_id>/members/new/", views.member_add, name="member-add"),
    path(
        "alliances/<int:alliance_id>/members/<int:membership_id>/end/",
        views.member_end,
        name="member-end",
    ),
    path("divisions/options/", views.division_options, name="division-options"),
]
