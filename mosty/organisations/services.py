from django.db import transaction
from django.utils.text import slugify

from mosty.access.policy import require
from mosty.core.writes import save_fields, save_validated
from mosty.organisations.models import PROFILE_FIELDS, Organisation


def unique_slug(model, base: str, *, exclude_pk=None) -> str:
    root = slugify(base)[:90] or "item"
    slug, n = root, 2
    qs = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while qs.filter(slug=slug).exists():
        slug, n = f"{root}-{n}", n + 1
    return slug


def _author(by):
    """`by` as the `created_by` of a new record (None for a city pack or a seed)."""
    return by if by is not None and by.is_authenticated else None


@transaction.atomic
def organisation_create(*, by, **data) -> Organisation:
    if by is not None:
        require(by, "organisation.create")
    organisation = Organisation(**{k: v for k, v in data.items() if k in PROFILE_FIELDS})
    organisation.slug = data.get("slug") or unique_slug(Organisation, organisation.name)
    organisation.created_by = _author(by)
    return save_validated(organisation)


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, by, version: int | None = None, **data
) -> Organisation:
    """Write the given fields; `version` (what the form showed) makes a second editor's save
    an `EditConflict` instead of silently undoing the first one's changes."""
    require(by, "organisation.change", organisation)
    return save_fields(organisation, PROFILE_FIELDS, data, version=version, by=by)
