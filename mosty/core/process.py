"""Settling a long-running web process, so Python's garbage collector stops pausing requests.

Python's full collection walks every object a process has ever kept: Django's URL resolver,
the translation catalogues of seven languages, every compiled template, babel's patterns.
Measured on the large seed, a page walk triggered 18 full collections of 120 to 465 ms each,
which made single requests of otherwise 10 to 60 ms pages take 150 to 300 ms (the p95 of
`mosty bench pages`). `settle()` loads those long-lived objects once and moves them out of
the collector's sight (`gc.freeze()`); afterwards a full collection walks only what requests
create (10 to 40 ms). The WSGI entry point calls it at start-up, and `mosty bench pages`
calls it too, so the bench measures a process as production runs it. With a pre-forking
server (`gunicorn --preload`) the frozen objects are also shared between workers."""

import gc
import logging
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template import TemplateDoesNotExist, TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils.translation import trans_real

log = logging.getLogger(__name__)

GC_THRESHOLD = (50_000, 20, 20)


def _template_names(engine: Any) -> list[str]:
    dirs = list(engine.engine.dirs)
    for loader in engine.engine.template_loaders:
        for inner in getattr(loader, "loaders", [loader]):
            dirs += [str(d) for d in inner.get_dirs()]
    names: set[str] = set()
    for folder in map(Path, dirs):
        if folder.is_dir():
            names.update(
                str(path.relative_to(folder))
                for path in folder.rglob("*")
                if path.suffix in {".html", ".txt", ".xml", ".svg", ".ics"}
            )
    return sorted(names)


def settle() -> int:
    """Load what every request shares (URLs, catalogues, templates), then freeze it for the
    garbage collector. Returns the number of objects frozen. Safe to call more than once."""
    get_resolver()._populate()
    for code, _name in settings.LANGUAGES:
        trans_real.translation(code)  # the catalogue of every app, merged and cached
    for engine in engines.all():
        for name in _template_names(engine):
            try:
                engine.get_template(name)
            except (TemplateDoesNotExist, TemplateSyntaxError, UnicodeDecodeError):
                log.debug("settle: %s not loaded", name)
    gc.collect()
    gc.freeze()
    # A request allocates tens of thousands of objects, many in reference cycles (requests,
    # responses, querysets); with the default threshold (700) they reach the older
    # generations while the request still holds them, and the full passes that clean them up
    # cost 100 to 300 ms. Collecting the youngest generation every 50,000 allocations lets a
    # request's garbage die young.
    gc.set_threshold(*GC_THRESHOLD)
    return gc.get_freeze_count()
