from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from django.db import transaction

from mosty.accounts.tasks import send_email
from mosty.core.ratelimit import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Mosty has no public sign-up; mails leave through the task queue."""

    def is_open_for_signup(self, request) -> bool:
        return False

    def get_client_ip(self, request) -> str:
        """The address login lockout counts: the same one as every other limit and the audit."""
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def send_mail(self, template_prefix, email, context):
        message = self.render_mail(template_prefix, email, context)
        html = ""
        for content, mimetype in getattr(message, "alternatives", []) or []:
            if mimetype == "text/html":
                html = content
        payload = {
            "subject": str(message.subject),
            "body": message.body,
            "to": list(message.to),
            "html": html,
            "from_email": message.from_email,
        }
        transaction.on_commit(lambda: send_email.enqueue(**payload))
