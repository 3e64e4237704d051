"""Per-request values that deep layers need without threading them through every call."""

from contextvars import ContextVar

request_id_var: ContextVar[str] = ContextVar("kepu_request_id", default="")
# Set by CLI commands (e.g. "kepu demo") so audit entries say where a change came from.
actor_label_var: ContextVar[str] = ContextVar("kepu_actor_label", default="")
