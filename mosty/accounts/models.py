"""Users and their memberships (user x organisation x role)."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mosty.core.collation import InNames
from mosty.core.models import (
    Authored,
    Labelled,
    Timestamped,
    owned_by,
    staff_ref,
    validate_language_code,
)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Coordinator")
    CASEWORKER = "caseworker", _("Caseworker")
    MENTOR = "mentor", _("Mentor")
    ASSISTANT = "assistant", _("Assistant")
    INSTITUTION_STAFF = "institution_staff", _("Institution staff")
    PARTICIPANT = "participant", _("Participant")


# Roles that handle case data and must use MFA in production.
STAFF_ROLES = frozenset({Role.ADMIN, Role.COORDINATOR, Role.CASEWORKER})


class Grant(models.TextChoices):
    """Rights beyond a role, given to one membership by an administrator."""

    VIEW_SENSITIVE = "view_sensitive", _("Sensitive data (legal status, restricted notes)")
    VIEW_AUDIT_LOG = "view_audit_log", _("Audit log (data controller)")


# The roles a grant may be given to: sensitive data to those who work with people, the audit
# log to the installation's administrators.
GRANT_ROLES = {
    Grant.VIEW_SENSITIVE: frozenset({Role.COORDINATOR, Role.CASEWORKER}),
    Grant.VIEW_AUDIT_LOG: frozenset({Role.ADMIN}),
}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra["is_superuser"] = True
        return self._create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in. What they may do comes from their memberships."""

    email = models.EmailField(_("e-mail address"), unique=True)
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    language = models.CharField(
        _("preferred language"), max_length=10, default="pl", validators=[validate_language_code]
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Part of the signed calendar-feed link; raising it makes every earlier link stop working.
    calendar_key = models.PositiveIntegerField(
        _("calendar link version"), default=0, editable=False
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Membership(Timestamped, Authored, Labelled):
    """A user's role in one organisation; a user may hold several. Kept by the organisation,
    but not `Versioned`: it is added and ended, never edited in a form."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = owned_by("memberships", on_delete=models.CASCADE)
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = [InNames(F("organisation__name")), "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role_per_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation} · {self.get_role_display()}"


class MembershipGrant(models.Model):
    """A grant held through one membership: it ends when the membership ends."""

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="grants")
    grant = models.CharField(_("grant"), max_length=30, choices=Grant.choices)
    granted_by = staff_ref(_("granted by"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(fields=["membership", "grant"], name="membership_grant_unique")
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.get_grant_display()}"

    @property
    def audit_label(self) -> str:
        # Staff accounts are named in the log by their e-mail already (the actor); the grant
        # itself is labelled by ids, like every personal record.
        return f"membership {self.membership_id} · {self.grant}"
