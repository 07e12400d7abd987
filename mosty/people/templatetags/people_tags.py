from django import template
from django.db.models import Choices
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _render(value, labels=None, key: str = "") -> str:
    """`value` as nested definition lists; with `labels` (`people.gdpr.ReadableLabels`) the
    field names and stored codes are said in the reader's language."""
    if isinstance(value, dict):
        rows = format_html_join(
            "",
            '<dt class="col-sm-4 text-break">{}</dt><dd class="col-sm-8" dir="auto">{}</dd>',
            (
                (labels.name(name) if labels else name, mark_safe(_render(item, labels, name)))  # noqa: S308
                for name, item in value.items()
            ),
        )
        return format_html('<dl class="row mb-0">{}</dl>', rows)
    if isinstance(value, list):
        if not value:
            return "—"
        items = format_html_join(
            "",
            '<li class="mb-2">{}</li>',
            ((mark_safe(_render(item, labels, key)),) for item in value),  # noqa: S308
        )
        return format_html('<ul class="list-unstyled">{}</ul>', items)
    if value in (None, ""):
        return "—"
    if isinstance(value, Choices):  # worked out, not stored (an invitation's state)
        value = value.label
    elif labels and key:
        value = labels.value(key, value)
    return format_html("{}", value)


@register.simple_tag
def render_value(value, labels=None):
    """An exported value (dicts, lists, scalars) as nested definition lists, escaped."""
    return mark_safe(_render(value, labels))  # noqa: S308 - every leaf went through format_html
