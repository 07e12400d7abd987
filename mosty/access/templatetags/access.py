from django import template

from mosty.access.policy import can as policy_can

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, action: str, obj=None) -> bool:
    """{% can "organisation.change" organisation as allowed %}"""
    return policy_can(context["request"].user, action, obj)
