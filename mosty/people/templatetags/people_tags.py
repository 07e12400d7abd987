import re

from django import template
from django.db.models import Choices
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from mosty.core import formats

register = template.Library()

_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?")
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _readable(value: object) -> object:
    """A stored value as a person reads it: yes or no, a moment in the installation's time
    zone and a day in the reader's format (the export writes both as ISO 8601), a fraction in
    the reader's notation. Text that only looks like a date ("2026-02-31") stays as it is."""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, float):
        return formats.number(value, up_to=2)
    if not isinstance(value, str):
        return value
    try:
        if _ISO_MOMENT.fullmatch(value) and (moment := parse_datetime(value)) is not None:
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return date_format(moment, "DATETIME_FORMAT")
        if _ISO_DAY.fullmatch(value) and (day := parse_date(value)) is not None:
            return date_format(day, "DATE_FORMAT")
    except ValueError:
        pass
    return value


def _render(value, labels=None, key: str = "") -> str:
    """`value` as nested definition lists; with `labels` (`people.gdpr.ReadableLabels`) the
    field names and stored codes are said in the reader's language."""
    if labels and key and isinstance(value, dict) and labels.is_language(key):
        value = labels.value(key, value)  # {"code": "uk", "level": "B1"}: one language spoken
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
    return format_html("{}", _readable(value))


@register.simple_tag
def render_value(value, labels=None):
    """An exported value (dicts, lists, scalars) as nested definition lists, escaped."""
    return mark_safe(_render(value, labels))  # noqa: S308 - every leaf went through format_html
