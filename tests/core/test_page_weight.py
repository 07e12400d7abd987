"""Public pages stay light on a first visit: under 150 KB transferred, everything included.

Counted as a newcomer's phone would fetch the page on a first, uncached load in production:
the HTML uncompressed (Django does not compress it; a proxy might, we do not count on it) and
every stylesheet, script, font and image it references (and the stylesheets reference) at
the size whitenoise serves it gzip-compressed (Brotli is smaller still, but not every client
takes it). Issue 15 measured about 590 KiB before the CSS subset and the icon sprite.
"""

import posixpath
import re
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template import engines
from django.urls import reverse
from django.utils import translation
from whitenoise.compress import Compressor

from mosty.tools import build_assets
from tests.directory.factories import service_with_location
from tests.events.factories import make_event
from tests.knowledge.factories import article

LIMIT = 150_000
PAGES = ["core:home", "knowledge:index", "directory:list", "events:list", "mentoring:apply"]


class _References(HTMLParser):
    """URLs of what the browser fetches to show the page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if (
            tag == "link"
            and a.get("href")
            and {"stylesheet", "icon"} & set(a.get("rel", "").split())
        ):
            self.urls.append(a["href"])
        elif tag in {"script", "img", "source", "iframe"} and a.get("src"):
            self.urls.append(a["src"])


def _static_file(url: str) -> bytes:
    assert url.startswith(settings.STATIC_URL), f"{url} is not served from this host's static files"
    path = finders.find(url.removeprefix(settings.STATIC_URL).split("?")[0].split("#")[0])
    assert path, f"{url} is referenced but does not exist"
    with open(path, "rb") as f:
        return f.read()


def _served_size(url: str, data: bytes) -> int:
    compressor = Compressor(quiet=True)
    if not compressor.should_compress(url):
        return len(data)
    return min(len(data), len(compressor.compress_gzip(data)))


def transferred(client, url: str) -> dict[str, int]:
    """Bytes over the wire for a first visit to `url`, by resource."""
    response = client.get(url)
    assert response.status_code == 200
    sizes = {url: len(response.content)}
    parser = _References()
    parser.feed(response.content.decode())
    pending = list(parser.urls)
    while pending:
        asset = pending.pop()
        if asset in sizes:
            continue
        data = _static_file(asset)
        sizes[asset] = _served_size(asset, data)
        if asset.split("?")[0].endswith(".css"):
            # Fonts and images a stylesheet pulls in (data: URLs are inside its bytes already);
            # of a font offered as woff2 and older formats, a browser fetches only the woff2.
            refs = [
                ref.split("?")[0].split("#")[0]
                for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", data.decode())
                if not ref.startswith("data:")
            ]
            if any(ref.endswith(".woff2") for ref in refs):
                refs = [ref for ref in refs if not ref.endswith((".woff", ".ttf", ".eot"))]
            base = posixpath.dirname(asset.split("?")[0])
            pending += [posixpath.normpath(posixpath.join(base, ref)) for ref in refs if ref]
    return sizes


@pytest.fixture
def public_content(world):
    """A page's worth of what public visitors see, so the HTML has its real length."""
    for i in range(12):
        service_with_location(world.org_a, district=world.district, name=f"Porady prawne {i}")
        make_event(world.org_a, title=f"Kurs języka polskiego {i}", district=world.district)
        article(title=f"Jak załatwić sprawę w urzędzie {i}", category="documents")


@pytest.mark.parametrize("language", ["pl", "ar"])
@pytest.mark.parametrize("page", PAGES)
def test_public_page_under_150_kb_on_first_load(client, public_content, page, language):
    with translation.override(language):
        url = reverse(page)
    sizes = transferred(client, url)
    total = sum(sizes.values())
    heaviest = ", ".join(f"{k} {v:,} B" for k, v in sorted(sizes.items(), key=lambda kv: -kv[1]))
    assert total < LIMIT, f"{url} weighs {total:,} bytes on first load: {heaviest}"


def test_rtl_pages_load_the_rtl_build_and_no_icon_font(client, public_content):
    for language, stylesheet in (("ar", "bootstrap.rtl.css"), ("fa", "bootstrap.rtl.css")):
        with translation.override(language):
            html = client.get(reverse("core:home")).content.decode()
        assert f"mosty/generated/{stylesheet}" in html
    html = client.get(reverse("core:home")).content.decode()
    assert "mosty/generated/bootstrap.css" in html
    assert "bootstrap-icons" not in html and 'class="bi ' not in html


def test_icons_are_drawn_from_the_inline_sprite_and_hidden_from_screen_readers(
    client, public_content
):
    html = client.get(reverse("knowledge:index")).content.decode()
    uses = set(re.findall(r'<use href="#(icon-[a-z0-9-]+)">', html))
    defined = set(re.findall(r'<symbol id="(icon-[a-z0-9-]+)"', html))
    assert "icon-download" in uses
    # The page carries the outlines of its own icons, no others.
    assert uses == defined, f"icons without a symbol: {uses - defined}; unused: {defined - uses}"
    for svg in re.findall(r'<svg class="icon"[^>]*>', html):
        assert 'aria-hidden="true"' in svg or "aria-label=" in svg


def test_labelled_icon_is_announced():
    html = engines["django"].from_string('{% icon "printer" label="Print" %}').render({})
    assert 'role="img"' in html and 'aria-label="Print"' in html and "aria-hidden" not in html


def test_htmx_fragment_draws_its_icons_itself(rf):
    """A fragment swapped into a page cannot count on that page's sprite holding its icons."""
    request = rf.get("/", HTTP_HX_REQUEST="true")
    request.htmx = True
    html = engines["django"].from_string('{% icon "upload" %}').render({"request": request})
    assert "<use" not in html and "<path d=" in html and 'aria-hidden="true"' in html


def test_sprite_holds_exactly_the_icons_templates_name():
    """A template naming an icon the sprite lacks would show a blank; rebuild the sprite."""
    sprite = build_assets.SPRITE.read_text(encoding="utf-8")
    in_sprite = set(re.findall(r'<symbol id="icon-([a-z0-9-]+)"', sprite))
    assert in_sprite == set(build_assets.icon_names()), (
        "run `python -m mosty.tools.build_assets` (make install)"
    )


CLASS_ATTRIBUTE = re.compile(r'\bclass="([^"]*)"')


def _template_classes() -> set[str]:
    """Literal class names in templates' class attributes (template tags and variables cut)."""
    found: set[str] = set()
    for path in build_assets.PACKAGE.rglob("*.html"):
        if "offline" in path.parts:  # the offline zip ships the whole Bootstrap build
            continue
        for value in CLASS_ATTRIBUTE.findall(path.read_text(encoding="utf-8")):
            value = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " ", value)
            found.update(value.split())
    return found


@pytest.mark.parametrize("name", sorted(build_assets.CSS_BUILDS))
def test_css_subset_keeps_every_bootstrap_class_a_template_uses(name):
    full = build_assets.css_classes(build_assets.CSS_BUILDS[name].read_text(encoding="utf-8"))
    subset = build_assets.css_classes((build_assets.GENERATED / name).read_text(encoding="utf-8"))
    missing = sorted((_template_classes() & full) - subset)
    assert not missing, (
        f"{name} lacks {missing}: run `python -m mosty.tools.build_assets` (make install) again"
    )


def test_subset_drops_what_no_template_uses_and_keeps_the_rest_of_a_rule():
    css = ".btn,.carousel{color:red}.carousel-item{top:0}@media (min-width:1px){.btn{margin:0}.toast{x:1}}"
    out = build_assets.subset_css(css, {"btn"}, set())
    assert ".btn{color:red}" in out
    assert "carousel" not in out and "toast" not in out
    assert "@media (min-width:1px){\n.btn{margin:0}" in out
    # A class built from a variable keeps every rule with its prefix.
    out = build_assets.subset_css(
        ".alert-danger{a:1}.alert-info{b:2}.badge{c:3}", set(), {"alert-"}
    )
    assert ".alert-danger" in out and ".alert-info" in out and ".badge" not in out
