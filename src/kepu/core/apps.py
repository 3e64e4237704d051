from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "kepu.core"
    label = "core"
    verbose_name = _("Accounts and audit")

    def ready(self) -> None:
        from django.db.models import fields

        from kepu.core import checks  # noqa: F401  (registers the system checks)

        # The empty choice of every select (our forms, the admin). Django's own label,
        # "- Select an option -", has no Chinese translation; Django asks projects to set theirs
        # here. Form classes read it when they are built, and this app's ready() runs first.
        fields.BLANK_CHOICE_LABEL = _("— Select —")
