"""Icons from an inline SVG sprite instead of an icon font.

`{% icon "calendar-event" %}` draws a decorative icon (hidden from screen readers, as the
text beside it says the same); `{% icon "printer" label=_("Print") %}` one that stands alone
and is announced. Each icon is `<svg><use href="#icon-NAME"/></svg>`; `{% icon_sprite %}`, at
the end of `base.html`'s body, then writes the `<symbol>`s of the icons this page used, so a
page carries only its own icons. A response without that sprite (an htmx fragment, a page
rendered without a request) gets each icon's outline inline instead, so it never shows a blank.

The outlines come from `mosty/core/static/mosty/generated/icons.svg`, built by
`python -m mosty.tools.build_assets`. Both tags are template builtins (settings.TEMPLATES), so
no `{% load %}` is needed.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

SPRITE = Path(__file__).resolve().parents[1] / "static" / "mosty" / "generated" / "icons.svg"
SYMBOL = re.compile(r'<symbol id="icon-([a-z0-9-]+)" viewBox="([0-9 ]+)">(.*?)</symbol>', re.DOTALL)


@functools.cache
def symbols() -> dict[str, tuple[str, str]]:
    """Icon name -> (viewBox, inner SVG markup), read once per process."""
    try:
        text = SPRITE.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    return {name: (view_box, inner) for name, view_box, inner in SYMBOL.findall(text)}


def _page_icons(context: template.Context) -> list[str] | None:
    """The icons this page has drawn so far, when the page ends with a sprite; else None."""
    request: Any = context.get("request")
    if request is None or getattr(request, "htmx", False):
        return None
    if not hasattr(request, "_mosty_icons"):
        request._mosty_icons = []
    icons: list[str] = request._mosty_icons
    return icons


@register.simple_tag(takes_context=True)
def icon(context: template.Context, name: str, label: str = "") -> SafeString:
    if label:
        opening = format_html('<svg class="icon" role="img" aria-label="{}"', label)
    else:
        opening = mark_safe('<svg class="icon" aria-hidden="true" focusable="false"')
    page_icons = _page_icons(context)
    if page_icons is not None:
        if name not in page_icons:
            page_icons.append(name)
        return format_html('{}><use href="#icon-{}"></use></svg>', opening, name)
    view_box, inner = symbols().get(name, ("0 0 16 16", ""))
    # The outline is our build's output from the vendored font, not user input.
    return format_html('{} viewBox="{}">{}</svg>', opening, view_box, mark_safe(inner))  # noqa: S308


@register.simple_tag(takes_context=True)
def icon_sprite(context: template.Context) -> SafeString:
    """The <symbol>s of the icons drawn earlier on this page (place it after all of them)."""
    known = symbols()
    used = [name for name in (_page_icons(context) or []) if name in known]
    if not used:
        return mark_safe("")
    rows = format_html_join(
        "",
        '<symbol id="icon-{}" viewBox="{}">{}</symbol>',
        ((name, known[name][0], mark_safe(known[name][1])) for name in used),  # noqa: S308
    )
    return format_html('<svg xmlns="http://www.w3.org/2000/svg" hidden>{}</svg>', rows)
