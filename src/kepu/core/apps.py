from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kepu.core"
    label = "core"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from kepu.core import checks  # noqa: F401  (registers the system checks)
