from typing import Any

from mosty.messaging.selectors import unread_count


def bell(request: Any) -> dict[str, Any]:
    """The unread count under the bell, counted only when a page draws it."""
    return {"mosty_unread": lambda: unread_count(user=request.user)}
