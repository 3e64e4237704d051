from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TouringConfig(AppConfig):
    name = "kepu.touring"
    label = "touring"
    verbose_name = _("Touring exhibitions and caravans")
