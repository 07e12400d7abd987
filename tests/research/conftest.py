import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english_addresses():
    """Pages under /en/, so tests read the English source strings."""
    with translation.override("en"):
        yield
