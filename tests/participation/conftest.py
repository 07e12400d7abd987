import pytest


@pytest.fixture(autouse=True)
def _immediate_tasks(settings):
    """Mails run at once (on commit) so tests read them from the outbox."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """committed(fn, ...) runs fn and then its on-commit callbacks (the mail tasks)."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            result = fn(*args, **kwargs)
        return result

    return run
