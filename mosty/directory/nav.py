from django.utils.translation import gettext_lazy as _

from mosty.core.navigation import RESOURCES, dashboard_panel, nav_item

nav_item(_("Services directory"), "directory:list", order=30, group=RESOURCES)
nav_item(_("Our services"), "directory:manage", rule="service.manage", order=62, group=RESOURCES)
nav_item(_("Housing"), "directory:housing_list", rule="housing.list", order=64, group=RESOURCES)
nav_item(
    _("Interpreters"), "directory:linguist_list", rule="linguist.list", order=66, group=RESOURCES
)


def _panel(request):
    from django.db.models import Count, Q

    from mosty.access.policy import can
    from mosty.directory import selectors
    from mosty.directory.models import HousingStatus

    user = request.user
    if not user.is_authenticated:
        return None
    context = {}
    if can(user, "housing.list"):
        context["available_offers"] = (
            selectors.housing_offer_list(fetched_by=user)
            .filter(status=HousingStatus.AVAILABLE)
            .count()
        )
    if can(user, "service.manage"):
        # Both numbers in one query.
        context.update(
            selectors.editable_services(user).aggregate(
                our_services=Count("pk"),
                unchecked=Count("pk", filter=Q(last_checked_on__isnull=True)),
            )
        )
    return context or None


dashboard_panel("directory/_dashboard.html", _panel, order=60)
