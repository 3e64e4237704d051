from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("kepu.api.urls")),
    path("", include("kepu.core.urls")),
    path("", include("kepu.network.urls")),
]
