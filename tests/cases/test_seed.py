import io

from mosty.cases.models import Case, Note, Referral, Task
from mosty.cases.seed import seed_cases
from mosty.core.seeding import SeedContext
from mosty.organisations.seed import demo_users_create
from tests.cases.factories import make_participant
from tests.factories import OrganisationFactory


def test_demo_and_small_large_seed(world):
    OrganisationFactory(slug="fundacja-most", name="Fundacja Most")
    OrganisationFactory(slug="centrum-wsparcia", name="Centrum Wsparcia")
    OrganisationFactory(slug="urzad-miasta-demo")
    OrganisationFactory(slug="sp-100-demo")
    users = {u.email: u for u in demo_users_create()}
    worker = users["caseworker@demo.mosty.local"]
    ctx = SeedContext(scale="demo", out=io.StringIO())
    seed_cases(ctx)
    assert Case.objects.filter(lead=worker).count() >= 4
    assert Referral.objects.filter(to_organisation__slug="centrum-wsparcia").count() == 2
    assert "already" in seed_cases(ctx)  # idempotent
    titles = set(Task.objects.values_list("title", flat=True))
    assert "Przygotować dokumenty" in titles and "Prepare the documents" not in titles

    for _ in range(3):
        make_participant(world)
    large = SeedContext(scale="large", out=io.StringIO())
    large.size = lambda demo, large: min(large, 50)
    seed_cases(large)
    assert Case.objects.filter(organisation=world.org_a).count() == 3
    assert Note.objects.count() == 50
