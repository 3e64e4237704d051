"""Writes shared by every app: applying validated field changes, users and role grants."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError, ConflictError, PermissionDeniedError
from kepu.core.models import VENUE_ROLES, Role, RoleAssignment, User
from kepu.core.scopes import Capability, forget_scope, require_venue, scope_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.network.models import Alliance, Venue

ModelT = TypeVar("ModelT", bound=Model)


def reject_unknown_fields(data: Mapping[str, Any], allowed: Iterable[str]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ApplicationError(
            _("These fields cannot be changed here: %(fields)s") % {"fields": ", ".join(unknown)},
            code="unknown_fields",
            fields={name: [_("This field cannot be changed here.")] for name in unknown},
        )


def validate_model(instance: Model, *, exclude: Iterable[str] | None = None) -> None:
    """Run the model's field checks and report them per field.

    Uniqueness and cross-field rules are the services' to check, with a reason on the right field;
    the database constraints stay as the last safety net (see ``save_with_conflict_check``).
    """
    try:
        instance.full_clean(
            exclude=list(exclude) if exclude else None,
            validate_unique=False,
            validate_constraints=False,
        )
    except DjangoValidationError as error:
        fields: dict[str, list[str]] = {}
        for name, messages in error.message_dict.items():
            fields["non_field_errors" if name == "__all__" else name] = [str(m) for m in messages]
        raise ApplicationError(
            _("Please correct the errors below."), code="invalid", fields=fields
        ) from error


def save_with_conflict_check[ModelT: Model](
    instance: ModelT, conflict_message: str, field: str
) -> ModelT:
    """Save; a uniqueness race lost to a concurrent request becomes a clear conflict error."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ConflictError(conflict_message, fields={field: [conflict_message]}) from error
    return instance


def create_and_audit[ModelT: Model](
    *,
    actor: User | AnonymousUser | None,
    instance: ModelT,
    action: str,
    conflict: tuple[str, str],
    venue: Venue | None = None,
    alliance: Alliance | None = None,
    extra_validation: Callable[[ModelT], None] | None = None,
) -> ModelT:
    """Validate, save and audit a new object — the shape of every create service.

    ``conflict`` is (field, message) for a uniqueness clash, reported on that field.
    """
    if extra_validation is not None:
        extra_validation(instance)
    validate_model(instance)
    field, message = conflict
    save_with_conflict_check(instance, message, field)
    audit_record(
        actor=actor,
        action=action,
        target=instance,
        after=snapshot(instance),
        venue=venue,
        alliance=alliance,
    )
    return instance


def apply_changes[ModelT: Model](
    *,
    actor: User | AnonymousUser | None,
    instance: ModelT,
    data: Mapping[str, Any],
    allowed: Iterable[str],
    action: str,
    venue: Venue | None = None,
    alliance: Alliance | None = None,
    extra_validation: Callable[[ModelT], None] | None = None,
) -> ModelT:
    """Set the given fields, validate, save and audit — the shape of every update service."""
    reject_unknown_fields(data, allowed)
    before = snapshot(instance, data.keys())
    for name, value in data.items():
        setattr(instance, name, value)
    if extra_validation is not None:
        extra_validation(instance)
    validate_model(instance)
    after = snapshot(instance, data.keys())
    if before == after:
        return instance
    instance.save()
    audit_record(
        actor=actor,
        action=action,
        target=instance,
        before=before,
        after=after,
        venue=venue,
        alliance=alliance,
    )
    return instance


@transaction.atomic
def user_create(
    *,
    actor: User | AnonymousUser | None,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    is_staff: bool = False,
) -> User:
    """A new account. National administrators create any; venue managers create their staff."""
    scope = scope_for(actor)
    if not (
        scope.is_national
        or any(
            scope.can(Capability.MANAGE_STAFF, venue_id) for venue_id in scope.venue_capabilities
        )
    ):
        raise PermissionDeniedError()
    user = User(username=username, display_name=display_name, email=email, is_staff=is_staff)
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return create_and_audit(
        actor=actor,
        instance=user,
        action="user.create",
        conflict=("username", _("This username is taken.")),
    )


@transaction.atomic
def role_grant(
    *,
    actor: User | AnonymousUser | None,
    user: User,
    role: str,
    venue: Venue | None = None,
    alliance: Alliance | None = None,
) -> RoleAssignment:
    """Give a user a role in a scope. Managers may grant venue roles at their own venues."""
    if role not in Role.values:
        raise ApplicationError.for_field("role", _("Unknown role."))
    scope = scope_for(actor)
    if role in VENUE_ROLES:
        if venue is None or alliance is not None:
            raise ApplicationError.for_field("venue", _("A venue role needs a venue."))
        require_venue(actor, venue, Capability.MANAGE_STAFF)
        if role == Role.VENUE_MANAGER and not scope.is_national:
            raise PermissionDeniedError(_("Only a national administrator appoints venue managers."))
    elif role == Role.ALLIANCE_COORDINATOR:
        if alliance is None or venue is not None:
            raise ApplicationError.for_field("alliance", _("A coordinator role needs an alliance."))
        if not scope.is_national:
            raise PermissionDeniedError(
                _("Only a national administrator appoints alliance coordinators.")
            )
    else:
        if venue is not None or alliance is not None:
            raise ApplicationError.for_field("role", _("This role covers the whole network."))
        if not scope.is_national:
            raise PermissionDeniedError()
    assignment = create_and_audit(
        actor=actor,
        instance=RoleAssignment(user=user, role=role, venue=venue, alliance=alliance),
        action="role.grant",
        conflict=("role", _("The user already holds this role.")),
        venue=venue,
        alliance=alliance,
    )
    forget_scope(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor: User | AnonymousUser | None, assignment: RoleAssignment) -> None:
    scope = scope_for(actor)
    if assignment.venue is not None:
        require_venue(actor, assignment.venue, Capability.MANAGE_STAFF)
        if assignment.role == Role.VENUE_MANAGER and not scope.is_national:
            raise PermissionDeniedError()
    elif not scope.is_national:
        raise PermissionDeniedError()
    before = snapshot(assignment)
    audit_record(
        actor=actor,
        action="role.revoke",
        target=assignment,
        before=before,
        venue=assignment.venue,
        alliance=assignment.alliance,
    )
    assignment.delete()
    forget_scope(assignment.user)


@transaction.atomic
def user_save(*, actor: User | AnonymousUser | None, user: User, created: bool) -> User:
    """Save a user prepared by an admin form (password already hashed), and audit it."""
    if not scope_for(actor).is_national:
        raise PermissionDeniedError()
    before = None if created else snapshot(User.objects.get(pk=user.pk))
    validate_model(user, exclude=["password"])
    save_with_conflict_check(user, _("This username is taken."), "username")
    audit_record(
        actor=actor,
        action="user.create" if created else "user.update",
        target=user,
        before=before,
        after=snapshot(user),
    )
    return user


@transaction.atomic
def national_admin_bootstrap(*, username: str, password: str, display_name: str = "") -> User:
    """The first national administrator of a fresh installation (refused once one exists)."""
    if RoleAssignment.objects.filter(role=Role.NATIONAL_ADMIN).exists():
        raise ConflictError(_("A national administrator exists already; ask them for an account."))
    user = User(username=username, display_name=display_name, is_staff=True)
    user.set_password(password)
    validate_model(user, exclude=["password"])
    save_with_conflict_check(user, _("This username is taken."), "username")
    assignment = RoleAssignment.objects.create(user=user, role=Role.NATIONAL_ADMIN)
    audit_record(actor=user, action="user.create", target=user, after=snapshot(user))
    audit_record(actor=user, action="role.grant", target=assignment, after=snapshot(assignment))
    return user
