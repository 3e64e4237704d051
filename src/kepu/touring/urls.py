from django.urls import path

from kepu.touring.views import caravans, plans, regions, stops

urlpatterns = [
    path("touring/", regions.index, name="touring-index"),
    path("touring/regions/<int:region_id>/", regions.region_detail, name="touring-region"),
    path("touring/regions/<int:region_id>/hosts/", regions.hosts_page, name="touring-hosts"),
    path(
        "touring/regions/<int:region_id>/distances/",
        regions.distances_page,
        name="touring-distances",
    ),
    path("touring/regions/<int:region_id>/sets/new/", regions.set_edit, name="touring-set-new"),
    path("touring/regions/<int:region_id>/plan/", plans.planner, name="touring-planner"),
    path("touring/sets/<int:set_id>/", regions.set_detail, name="touring-set"),
    path("touring/sets/<int:set_id>/edit/", regions.set_edit, name="touring-set-edit"),
    path(
        "touring/exhibits/<int:exhibit_id>/remove/",
        regions.exhibit_remove,
        name="touring-exhibit-remove",
    ),
    path(
        "touring/maintenance/<int:period_id>/remove/",
        regions.maintenance_remove,
        name="touring-maintenance-remove",
    ),
    path("touring/hosts/<int:host_id>/", regions.host_detail, name="touring-host"),
    path("touring/hosts/<int:host_id>/edit/", regions.host_edit, name="touring-host-edit"),
    path(
        "touring/hosting-dates/<int:availability_id>/remove/",
        regions.availability_remove,
        name="touring-availability-remove",
    ),
    path("touring/plans/<int:plan_id>/", plans.plan_detail, name="touring-plan"),
    path("touring/plans/<int:plan_id>/edit/", plans.plan_edit, name="touring-plan-edit"),
    path("touring/plans/<int:plan_id>/replan/", plans.plan_replan, name="touring-plan-replan"),
    path("touring/plans/<int:plan_id>/adopt/", plans.plan_adopt, name="touring-plan-adopt"),
    path("touring/plans/<int:plan_id>/discard/", plans.plan_discard, name="touring-plan-discard"),
    path("touring/stops/<int:stop_id>/", stops.stop_detail, name="touring-stop"),
    path("touring/stops/<int:stop_id>/status/", stops.stop_status, name="touring-stop-status"),
    path("venues/<int:venue_id>/touring/", stops.venue_touring, name="touring-venue"),
    path(
        "venues/<int:venue_id>/caravan-planning/",
        caravans.caravan_planning,
        name="touring-caravan",
    ),
    path(
        "venues/<int:venue_id>/caravan-planning/requests/new/",
        caravans.request_new,
        name="touring-caravan-request-new",
    ),
    path(
        "touring/caravan-requests/<int:request_id>/withdraw/",
        caravans.request_withdraw,
        name="touring-caravan-request-withdraw",
    ),
    path("touring/caravan-plans/<int:plan_id>/", caravans.plan_detail, name="touring-caravan-plan"),
    path(
        "touring/caravan-plans/<int:plan_id>/adopt/",
        caravans.plan_adopt,
        name="touring-caravan-plan-adopt",
    ),
    path(
        "touring/caravan-plans/<int:plan_id>/discard/",
        caravans.plan_discard,
        name="touring-caravan-plan-discard",
    ),
]
