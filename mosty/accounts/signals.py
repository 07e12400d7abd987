from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from mosty.access.audit import audit


@receiver(user_logged_in, dispatch_uid="mosty-audit-login")
def _logged_in(sender, request, user, **kwargs):
    audit(user, "mosty.auth.login", user)


@receiver(user_logged_out, dispatch_uid="mosty-audit-logout")
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        audit(user, "mosty.auth.logout", user)


@receiver(user_login_failed, dispatch_uid="mosty-audit-login-failed")
def _login_failed(sender, credentials, request=None, **kwargs):
    # Only the address tried: never the password.
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    audit(None, "mosty.auth.login_failed", details={"email": tried})
