"""The one markup of a data table: `{% load mosty_tables %}`.

    {% table _("Active matches") "table-hover" %}
      <thead>…</thead>
      <tbody>…</tbody>
    {% endtable %}

draws `core/_table.html` around what stands between the tags: a table that scrolls sideways
on a narrow screen, with a caption that names it for screen readers only. The first argument
is the caption, the optional second the table's classes besides `table`. A list page's table
is drawn by `core/list_page.html` the same way.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context
from django.template.engine import Engine
from django.utils.safestring import SafeString

register = template.Library()


class TableNode(template.Node):
    def __init__(
        self, nodelist: NodeList, caption: FilterExpression, classes: FilterExpression | None
    ) -> None:
        self.nodelist = nodelist
        self.caption = caption
        self.classes = classes

    def render(self, context: Context) -> SafeString:
        body = self.nodelist.render(context)
        values = {
            "caption": self.caption.resolve(context),
            "classes": self.classes.resolve(context) if self.classes else "",
            "body": body,
        }
        engine = context.template.engine if context.template else Engine.get_default()
        layout = engine.get_template("core/_table.html")
        with context.push(values):
            return layout.render(context)


@register.tag("table")
def table(parser: Parser, token: Token) -> TableNode:
    """{% table caption [classes] %}…{% endtable %}"""
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError(
            "{% table caption [classes] %} takes one or two arguments"
        )
    nodelist = parser.parse(("endtable",))
    parser.delete_first_token()
    classes = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    return TableNode(nodelist, parser.compile_filter(bits[1]), classes)
