from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _render(value) -> str:
    if isinstance(value, dict):
        rows = format_html_join(
            "",
            '<dt class="col-sm-4 text-break">{}</dt><dd class="col-sm-8" dir="auto">{}</dd>',
            ((key, mark_safe(_render(item))) for key, item in value.items()),  # noqa: S308
        )
        return format_html('<dl class="row mb-0">{}</dl>', rows)
    if isinstance(value, list):
        if not value:
            return "—"
        items = format_html_join(
            "",
            '<li class="mb-2">{}</li>',
            ((mark_safe(_render(item)),) for item in value),  # noqa: S308
        )
        return format_html('<ul class="list-unstyled">{}</ul>', items)
    if value in (None, ""):
        return "—"
    return format_html("{}", value)


@register.simple_tag
def render_value(value):
    """An exported value (dicts, lists, scalars) as nested definition lists, escaped."""
    return mark_safe(_render(value))  # noqa: S308 - every leaf went through format_html
