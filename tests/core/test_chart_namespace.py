"""A chart is an <svg> element whatever other code registered with ElementTree: its prefix
registry is global, and the XLIFF export used to register the default prefix for its own
namespace, after which every chart came out as <ns0:svg> and no browser drew it."""

import xml.etree.ElementTree as ET

from mosty.core.charts import column_chart


def test_a_chart_stays_svg_after_another_namespace_took_the_default_prefix():
    ET.register_namespace("", "urn:oasis:names:tc:xliff:document:1.2")
    try:
        chart = column_chart(
            "Programme hours", [("Sept", 2), ("Oct", 4)], label_heading="M", value_heading="h"
        )
    finally:
        ET.register_namespace("", "http://www.w3.org/2000/svg")
    assert str(chart.svg).startswith('<svg xmlns="http://www.w3.org/2000/svg"')
    assert 'role="img"' in str(chart.svg) and "ns0:" not in str(chart.svg)
