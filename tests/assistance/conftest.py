# Mails run at once on commit, as in the events tests (the same fixtures, not a copy).
from tests.events.conftest import _immediate_tasks, committed  # noqa: F401
