"""`{% table %}` draws the one markup of a data table around its rows."""

from django.template import engines


def test_a_table_scrolls_and_is_named_for_screen_readers_only():
    template = engines["django"].from_string(
        '{% load mosty_tables %}{% table caption "table-sm" %}<tbody></tbody>{% endtable %}'
    )
    html = template.render({"caption": "Grants & <roles>"})
    # A region the keyboard reaches, named like the table: it may scroll sideways.
    assert (
        '<div class="table-responsive" tabindex="0" role="region" '
        'aria-label="Grants &amp; &lt;roles&gt;">'
    ) in html
    assert '<table class="table table-sm">' in html
    assert '<caption class="visually-hidden">Grants &amp; &lt;roles&gt;</caption>' in html
    assert html.index("<tbody></tbody>") < html.index("</table>")


def test_without_classes_it_is_a_plain_table():
    template = engines["django"].from_string(
        '{% load mosty_tables %}{% table "Hours" %}{% endtable %}'
    )
    assert '<table class="table">' in template.render({})
