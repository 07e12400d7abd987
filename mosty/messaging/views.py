"""The bell: a staff member's notifications, fed by the same triggers as the outbox."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy

from mosty.access.domains.events import managed_events
from mosty.core.pages import ActionPage, FormPage, ListPage
from mosty.core.routing import Routes
from mosty.events.selectors import phone_only_count
from mosty.messaging import catalog, selectors, services
from mosty.messaging.forms import BroadcastForm

routes = Routes()


@routes.path("", name="list")
class NotificationList(ListPage):
    permission = "notification.list"
    template_name = "messaging/notification_list.html"

    def rows(self, filters: dict[str, Any]) -> Any:
        return selectors.notification_list(user=self.user)

    def page_context(self, page: Any) -> dict[str, Any]:
        for notification in page:
            notification.line = catalog.line(notification.template, notification.payload)
        return {}


@routes.path("<int:pk>/read/", name="read")
class NotificationRead(ActionPage):
    permission = "notification.read"
    service = services.notification_read
    object_kwarg = "notification"
    success_list = "messaging:list"

    def get_object(self) -> Any:
        return get_object_or_404(selectors.notification_list(user=self.user), pk=self.kwargs["pk"])

    def success_url(self, result: Any) -> str:
        url = result.url if result is not None else ""
        if url and url_has_allowed_host_and_scheme(url, allowed_hosts=None):
            return str(url)
        return super().success_url(result)


@routes.path("read-all/", name="read_all")
class NotificationReadAll(ActionPage):
    permission = "notification.list"
    object_optional = True
    service = services.notification_read_all
    success_list = "messaging:list"


@routes.path("events/<int:pk>/broadcast/", name="event_broadcast")
class EventBroadcast(FormPage):
    permission = "event.broadcast"
    template_name = "messaging/event_broadcast.html"
    form_class = BroadcastForm
    context_object_name = "event"
    success_message = gettext_lazy("The message is on its way to every registrant.")
    service = services.event_broadcast
    object_kwarg = "event"
    object_detail = "events:registrations"

    def get_object(self) -> Any:
        return get_object_or_404(managed_events(self.user), pk=self.kwargs["pk"])

    def extra_context(self) -> dict[str, Any]:
        # Visitors who gave only a phone number are not among "every registrant".
        return {"phone_only": phone_only_count(event=self.object)}
