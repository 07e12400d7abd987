"""Writes for users and memberships. Every write is audited by the model signals."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from mosty.access.audit import audit
from mosty.access.policy import can, require
from mosty.accounts.models import Membership, MembershipGrant, Role, User
from mosty.core.writes import save_validated
from mosty.organisations.models import Organisation

# The fields of a user an administrator edits (and a detail page shows).
USER_FIELDS = ["email", "first_name", "last_name", "language", "phone", "is_active"]


@transaction.atomic
def user_create(
    *,
    email: str,
    first_name: str = "",
    last_name: str = "",
    language: str = "pl",
    phone: str = "",
    password: str | None = None,
    by: User | None = None,
) -> User:
    if by is not None:
        require(by, "user.create")
    user = User(
        email=User.objects.normalize_email(email).lower(),
        first_name=first_name,
        last_name=last_name,
        language=language,
        phone=phone,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    return save_validated(user)


@transaction.atomic
def user_update(*, user: User, by: User, **changes) -> User:
    require(by, "user.change", user)
    fields = [f for f in changes if f in USER_FIELDS]
    for field in fields:
        setattr(user, field, changes[field])
    user.email = user.email.lower()
    user.full_clean()
    user.save(update_fields=fields)
    return user


def _check_role_grant(by: User, role: str) -> None:
    if role == Role.ADMIN and not can(by, "membership.grant_admin"):
        raise PermissionDenied("membership.grant_admin")


@transaction.atomic
def membership_add(
    *, user: User, organisation: Organisation, role: str, by: User | None
) -> Membership:
    if by is not None:
        require(by, "organisation.manage_members", organisation)
        _check_role_grant(by, role)
    membership, created = Membership.objects.get_or_create(
        user=user,
        organisation=organisation,
        role=role,
        defaults={"is_active": True, "created_by": by},
    )
    if not created:
        if membership.is_active:
            raise ValidationError(
                {"role": _("This person already has this role in this organisation.")}
            )
        _membership_set_active(membership, True, by=by)
    return membership


def _membership_set_active(membership: Membership, active: bool, *, by: User | None) -> None:
    membership.is_active = active
    membership.updated_by = by
    membership.save(update_fields=["is_active", "updated_at", "updated_by"])


@transaction.atomic
def member_invite(
    *,
    organisation: Organisation,
    email: str,
    first_name: str,
    last_name: str,
    role: str,
    language: str,
    by: User,
) -> Membership:
    """Add a person to an organisation, creating their account if it does not exist yet."""
    require(by, "organisation.manage_members", organisation)
    _check_role_grant(by, role)
    user = User.objects.filter(email__iexact=email.strip()).first()
    if user is None:
        user = user_create(
            email=email, first_name=first_name, last_name=last_name, language=language
        )
    return membership_add(user=user, organisation=organisation, role=role, by=by)


@transaction.atomic
def membership_end(*, membership: Membership, by: User) -> Membership:
    require(by, "membership.change", membership)
    _membership_set_active(membership, False, by=by)
    return membership


@transaction.atomic
def membership_grant_add(*, membership: Membership, grant: str, by: User) -> MembershipGrant:
    """Give `grant` to one membership (an administrator's decision, audited)."""
    require(by, "membership.grant", (membership, grant))
    if not membership.is_active:
        raise ValidationError(_("This membership has ended; a grant on it would have no effect."))
    held, created = MembershipGrant.objects.get_or_create(
        membership=membership, grant=grant, defaults={"granted_by": by}
    )
    if created:
        _grant_audit(by, "mosty.accounts.membership.granted", membership, grant)
    return held


@transaction.atomic
def membership_grant_remove(*, membership: Membership, grant: str, by: User) -> None:
    require(by, "membership.grant", (membership, grant))
    deleted, _rows = MembershipGrant.objects.filter(membership=membership, grant=grant).delete()
    if deleted:
        _grant_audit(by, "mosty.accounts.membership.grant_revoked", membership, grant)


def _grant_audit(by: User, event: str, membership: Membership, grant: str) -> None:
    """A grant given or taken back is recorded on the person, with the grant and the
    organisation of the membership it is on."""
    audit(
        by,
        event,
        membership.user,
        details={"grant": grant, "organisation": membership.organisation_id},
    )


@transaction.atomic
def api_token_regenerate(*, user: User) -> Token:
    require(user, "api_token.manage")
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    audit(user, "mosty.accounts.api_token.regenerated", user)
    return token


@transaction.atomic
def api_token_revoke(*, user: User, by: User | None = None) -> bool:
    """Revoke `user`'s token: they themself, or an administrator for anyone. True if there was
    one."""
    by = by or user
    require(by, "api_token.revoke", user)
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted and by.pk != user.pk:
        audit(by, "mosty.accounts.api_token.revoked", user)
    return bool(deleted)
