"""Settling a web process (mosty/core/process.py): what production and the bench rely on."""

import gc
import subprocess
import sys

import pytest

from mosty.core.process import GC_THRESHOLD, settle


@pytest.fixture
def restored_gc():
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_settle_loads_templates_and_freezes_them(restored_gc, settings):
    from django.template import engines

    gc.unfreeze()
    frozen = settle()
    # settle() answers how many objects it froze. A frozen object can still be freed when its
    # last reference goes (the settle() frame's own temporaries), so the count read here may
    # be a few lower, never higher: it was 1 lower in one CI run.
    assert frozen > 10_000
    assert frozen - 100 <= gc.get_freeze_count() <= frozen
    assert gc.get_threshold() == GC_THRESHOLD
    # Every template is compiled ahead, so a request's first render adds nothing to freeze.
    engine = engines["django"].engine
    cached = next(
        loader for loader in engine.template_loaders if hasattr(loader, "get_template_cache")
    )
    assert any(name.endswith("base.html") for name in cached.get_template_cache)


def test_the_wsgi_entry_point_settles_the_process():
    """A process that loads `mosty.wsgi` (what gunicorn does) is settled."""
    code = (
        "import gc, mosty.wsgi; from mosty.core.process import GC_THRESHOLD; "
        "assert gc.get_freeze_count() > 10_000, gc.get_freeze_count(); "
        "assert gc.get_threshold() == GC_THRESHOLD; print('settled')"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "settled" in done.stdout
