"""`counted`: a count of related rows per row of a list, 0 for none, as the lists show it."""

import datetime

from django.db.models import OuterRef
from django.utils import timezone

from mosty.cases import selectors as case_selectors
from mosty.cases.models import Case, Task
from mosty.core.queries import counted
from mosty.mentoring import selectors as mentoring_selectors
from mosty.mentoring.models import MatchStatus
from tests.cases.factories import make_case, make_goal, make_task
from tests.mentoring.factories import MatchFactory, MentorFactory


def test_counts_each_rows_related_rows_and_zero_for_none(world):
    busy, idle = make_case(world), make_case(world)
    goal = make_goal(busy)
    make_task(goal)
    make_task(goal)
    tasks = Task.objects.filter(goal__case=OuterRef("pk"))
    found = dict(Case.objects.annotate(n=counted(tasks, "goal__case")).values_list("pk", "n"))
    assert found == {busy.pk: 2, idle.pk: 0}


def test_case_list_counts_overdue_tasks(world):
    late, on_time = make_case(world), make_case(world)
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    make_task(make_goal(late), due_date=yesterday)
    make_task(make_goal(late), due_date=yesterday, status="done")
    make_task(make_goal(on_time), due_date=timezone.localdate() + datetime.timedelta(days=3))
    rows = case_selectors.case_list(fetched_by=world.user("coordinator", "a"))
    assert {case.pk: case.overdue_count for case in rows} == {late.pk: 1, on_time.pk: 0}


def test_mentor_list_counts_open_matches(world):
    mentor = MentorFactory(organisation=world.org("a"))
    free = MentorFactory(organisation=world.org("a"))
    MatchFactory(mentor=mentor)
    MatchFactory(mentor=mentor, status=MatchStatus.ENDED)
    rows = mentoring_selectors.mentor_list(fetched_by=world.user("coordinator", "a"))
    counts = {m.pk: m.open_matches for m in rows}
    assert counts[mentor.pk] == 1 and counts[free.pk] == 0
