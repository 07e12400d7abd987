from django import template
from django.utils.translation import gettext as _

from mosty.core.formats import language_name
from mosty.mentoring.models import Interest, LanguageLevel, Slot

register = template.Library()


@register.filter
def languages_with_levels(items) -> str:
    """[{"code": "uk", "level": "native"}] -> "Ukrainian (native)"."""
    levels = dict(LanguageLevel.choices)
    out = []
    for item in items or []:
        level = levels.get(item.get("level"), item.get("level"))
        out.append(
            _("%(language)s (%(level)s)")
            % {"language": language_name(item.get("code", "")), "level": level}
        )
    return ", ".join(out)


@register.filter
def language_list(items) -> str:
    return ", ".join(language_name(item.get("code", "")) for item in items or [])


@register.filter
def interest_labels(values) -> str:
    labels = dict(Interest.choices)
    return ", ".join(str(labels.get(v, v)) for v in values or [])


@register.filter
def slot_labels(values) -> str:
    labels = dict(Slot.choices)
    return ", ".join(str(labels.get(v, v)) for v in values or [])


@register.simple_tag
def mentor_signup_link() -> str:
    """The public sign-up link, for shared pages (the home page's "Residents" card)."""
    from django.urls import reverse
    from django.utils.html import format_html

    return format_html(
        '<a class="card-link" href="{}">{}</a>', reverse("mentoring:apply"), _("Become a mentor")
    )
