"""Build the front-end assets public pages load: only the CSS Mosty uses, only the icons it shows.

`make install` runs it (`python -m mosty.tools.build_assets`); the outputs are committed too,
so a production install (docs/production.md) and a fresh clone serve them without a build.
No network: the inputs are the vendored Bootstrap and Bootstrap Icons files and Mosty's own
templates, Python and JavaScript.

- **CSS**: Bootstrap's LTR and RTL builds reduced to the rules whose selectors name only
  classes Mosty uses (`mosty/core/static/mosty/generated/bootstrap[.rtl].css`). A class counts as
  used when it appears as a word in a template, a Python module or Mosty's own JavaScript, or
  when Bootstrap's or htmx's scripts set it (`SCRIPT_CLASSES`). A word ending in a hyphen
  before a template variable (`alert-{{ level }}`, `f"text-bg-{tone}"`) keeps every class with
  that prefix. Over-keeping costs a few bytes; under-keeping would break a page, so in doubt a
  rule stays.
- **Icons**: an SVG sprite (`generated/icons.svg`) with one `<symbol>` per icon named in a
  `{% icon "name" %}` tag, drawn from the Bootstrap Icons font's outlines; each page inlines
  the symbols of the icons it shows (`mosty/core/templatetags/icons.py`).
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import tinycss2
import tinycss2.ast
from fontTools.pens.svgPathPen import SVGPathPen
from fontTools.pens.transformPen import TransformPen
from fontTools.ttLib import TTFont

PACKAGE = Path(__file__).resolve().parents[1]
STATIC = PACKAGE / "core" / "static"
VENDOR = STATIC / "vendor"
GENERATED = STATIC / "mosty" / "generated"
CSS_BUILDS = {
    "bootstrap.css": VENDOR / "bootstrap" / "bootstrap.min.css",
    "bootstrap.rtl.css": VENDOR / "bootstrap" / "bootstrap.rtl.min.css",
}
ICON_FONT = VENDOR / "bootstrap-icons" / "fonts" / "bootstrap-icons.woff"
ICON_CSS = VENDOR / "bootstrap-icons" / "bootstrap-icons.min.css"
SPRITE = GENERATED / "icons.svg"

# Classes (and data attributes) set at run time by bootstrap.bundle.js and htmx.js for the
# components Mosty uses (dropdown, collapse, alerts), so no template names them.
SCRIPT_CLASSES = frozenset(
    {
        "show",
        "showing",
        "hiding",
        "collapsing",
        "collapsed",
        "fade",
        "active",
        "disabled",
        "dropdown-menu-end",
        "dropdown-menu-start",
        "data-bs-popper",
        "htmx-request",
        "htmx-indicator",
        "htmx-added",
        "htmx-settling",
        "htmx-swapping",
    }
)

ICON_TAG = re.compile(r"""\{%\s*icon\s+["']([a-z0-9-]+)["']""")
WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
# A word ending in "-" right before a template variable, tag, f-string field or JS "+".
PREFIX = re.compile(r"""([A-Za-z_][A-Za-z0-9_-]*-)(?:\{\{|\{%|\{|["']\s*\+)""")


def _sources() -> Iterator[Path]:
    """Templates, Python modules and Mosty's own scripts: where class names can come from."""
    for path in sorted(PACKAGE.rglob("*")):
        if not path.is_file() or "vendor" in path.parts or "migrations" in path.parts:
            continue
        if path.suffix in {".html", ".py", ".txt"} or (
            path.suffix == ".js" and "static" in path.parts
        ):
            if path.parts[-2:] == ("tools", "build_assets.py"):
                continue
            yield path


def used_words() -> tuple[set[str], set[str]]:
    """(words, prefixes) that may name a class in a page Mosty renders."""
    words: set[str] = set(SCRIPT_CLASSES)
    prefixes: set[str] = set()
    for path in _sources():
        text = path.read_text(encoding="utf-8", errors="replace")
        words.update(WORD.findall(text))
        prefixes.update(PREFIX.findall(text))
    return words, prefixes


def icon_names() -> list[str]:
    """Every icon named in a `{% icon "name" %}` tag of a template."""
    names: set[str] = set()
    for path in PACKAGE.rglob("*.html"):
        names.update(ICON_TAG.findall(path.read_text(encoding="utf-8")))
    return sorted(names)


# CSS ------------------------------------------------------------------------------------------


def _split_selectors(prelude: list[tinycss2.ast.Node]) -> list[list[tinycss2.ast.Node]]:
    """A rule's selector list split at its top-level commas (commas inside :is() stay)."""
    selectors: list[list[tinycss2.ast.Node]] = [[]]
    for token in prelude:
        if isinstance(token, tinycss2.ast.LiteralToken) and token.value == ",":
            selectors.append([])
        else:
            selectors[-1].append(token)
    return selectors


def _needs(selector: list[tinycss2.ast.Node]) -> Iterator[str]:
    """Class names and data attributes an element must carry for the selector to match.

    Only the top level counts: names inside :not(), :is(), :has() are not required."""
    for i, token in enumerate(selector):
        if (
            isinstance(token, tinycss2.ast.LiteralToken)
            and token.value == "."
            and i + 1 < len(selector)
        ):
            following = selector[i + 1]
            if isinstance(following, tinycss2.ast.IdentToken):
                yield following.value
        elif isinstance(token, tinycss2.ast.SquareBracketsBlock):
            name = next(
                (t.value for t in token.content if isinstance(t, tinycss2.ast.IdentToken)), ""
            )
            if name.startswith("data-"):
                yield name


def _kept(name: str, words: set[str], prefixes: set[str]) -> bool:
    return name in words or any(name.startswith(prefix) for prefix in prefixes)


def _subset_rules(rules: Iterable[tinycss2.ast.Node], words: set[str], prefixes: set[str]) -> str:
    out: list[str] = []
    for rule in rules:
        if isinstance(rule, tinycss2.ast.QualifiedRule):
            selectors = [
                s
                for s in _split_selectors(rule.prelude)
                if all(_kept(name, words, prefixes) for name in _needs(s))
            ]
            if selectors:
                prelude = ",".join(tinycss2.serialize(s).strip() for s in selectors)
                out.append(f"{prelude}{{{tinycss2.serialize(rule.content).strip()}}}\n")
        elif isinstance(rule, tinycss2.ast.AtRule):
            grouping = rule.lower_at_keyword in {"media", "supports", "container", "layer"}
            if grouping and rule.content is not None:
                inner = _subset_rules(
                    tinycss2.parse_rule_list(
                        rule.content, skip_whitespace=True, skip_comments=True
                    ),
                    words,
                    prefixes,
                )
                if inner:
                    prelude = tinycss2.serialize(rule.prelude).strip()
                    out.append(f"@{rule.at_keyword} {prelude}{{\n{inner}}}\n")
            elif rule.lower_at_keyword != "charset":
                out.append(tinycss2.serialize([rule]).strip() + "\n")
    return "".join(out)


def subset_css(css: str, words: set[str], prefixes: set[str]) -> str:
    """The stylesheet without the rules no page can match, one rule per line."""
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    kept_comment = re.search(r"/\*!.*?\*/", css, re.DOTALL)  # the licence
    licence = kept_comment.group(0) + "\n" if kept_comment else ""
    note = "/* Generated by mosty.tools.build_assets from the vendored build: do not edit. */\n"
    # @charset counts only as the very first bytes of the file.
    charset = '@charset "UTF-8";\n' if '@charset "UTF-8";' in css else ""
    return charset + licence + note + _subset_rules(rules, words, prefixes)


def css_classes(css: str) -> set[str]:
    """Every class name a stylesheet's selectors mention (at any depth)."""
    found: set[str] = set()

    def walk(nodes: Iterable[tinycss2.ast.Node]) -> None:
        previous: tinycss2.ast.Node | None = None
        for node in nodes:
            if (
                isinstance(node, tinycss2.ast.IdentToken)
                and isinstance(previous, tinycss2.ast.LiteralToken)
                and previous.value == "."
            ):
                found.add(node.value)
            if isinstance(node, tinycss2.ast.QualifiedRule):
                walk(node.prelude)
            elif isinstance(node, tinycss2.ast.AtRule) and node.content is not None:
                walk(tinycss2.parse_rule_list(node.content))
            elif isinstance(node, tinycss2.ast.FunctionBlock | tinycss2.ast.ParenthesesBlock):
                walk(
                    node.arguments if isinstance(node, tinycss2.ast.FunctionBlock) else node.content
                )
            previous = node

    walk(tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True))
    return found


# Icons ----------------------------------------------------------------------------------------


def icon_codepoints() -> dict[str, int]:
    """Icon name -> code point in the font, from the vendored icon stylesheet."""
    css = ICON_CSS.read_text(encoding="utf-8")
    return {
        name: int(code, 16)
        for name, code in re.findall(r'\.bi-([a-z0-9-]+)::before\{content:"\\([0-9a-f]+)"\}', css)
    }


def _number(value: float) -> str:
    """A coordinate as few characters as it needs ("113", "278.5"), never localised."""
    return f"{value:.1f}".removesuffix(".0")


def build_sprite(names: Iterable[str]) -> str:
    """An SVG sprite with one <symbol id="icon-NAME"> per icon, outlines taken from the font."""
    logging.getLogger("fontTools").setLevel(logging.ERROR)  # the font's "post" table quirks
    font = TTFont(str(ICON_FONT))
    glyphs = font.getGlyphSet()
    cmap = font.getBestCmap()
    size = font["head"].unitsPerEm
    codepoints = icon_codepoints()
    symbols = []
    for name in names:
        if name not in codepoints:
            raise SystemExit(f"Bootstrap Icons has no icon named {name!r}")
        pen = SVGPathPen(glyphs, ntos=_number)
        # Font outlines run upwards from the baseline; SVG's y axis runs down.
        glyphs[cmap[codepoints[name]]].draw(TransformPen(pen, (1, 0, 0, -1, 0, size)))
        symbols.append(
            f'<symbol id="icon-{name}" viewBox="0 0 {size} {size}">'
            f'<path d="{pen.getCommands()}"/></symbol>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" hidden>'
        "<!-- Bootstrap Icons (MIT), only those Mosty shows; mosty.tools.build_assets -->\n"
        + "\n".join(symbols)
        + "\n</svg>\n"
    )


def build() -> dict[Path, str]:
    """The generated files and their contents."""
    words, prefixes = used_words()
    outputs = {
        GENERATED / name: subset_css(source.read_text(encoding="utf-8"), words, prefixes)
        for name, source in CSS_BUILDS.items()
    }
    outputs[SPRITE] = build_sprite(icon_names())
    return outputs


def main() -> int:
    GENERATED.mkdir(parents=True, exist_ok=True)
    changed = 0
    for path, content in build().items():
        if not path.exists() or path.read_text(encoding="utf-8") != content:
            path.write_text(content, encoding="utf-8")
            changed += 1
    print(f"built front-end assets: {changed} file(s) changed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
