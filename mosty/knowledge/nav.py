from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import KNOWLEDGE, dashboard_panel, nav_item

nav_item(_("Knowledge base"), "knowledge:index", order=60, group=KNOWLEDGE)
nav_item(_("Articles"), "knowledge:manage", rule="knowledge.edit", order=61, group=KNOWLEDGE)
nav_item(_("My translations"), "knowledge:queue", rule="knowledge.queue", order=62, group=KNOWLEDGE)


def _dashboard(request):
    from mosty.access.policy import can
    from mosty.knowledge.selectors import translation_queue

    if not request.user.is_authenticated:
        return None
    queue = translation_queue(user=request.user)
    count = queue.count()
    if not count and not can(request.user, "knowledge.edit"):
        return None
    return {"queue": list(queue[:5]), "queue_count": count}


dashboard_panel("knowledge/_dashboard.html", _dashboard, order=60)
