from django.db import transaction
from django.utils.text import slugify

from mosty.access.policy import require
from mosty.organisations.models import Organisation

ORGANISATION_FIELDS = [
    "name",
    "kind",
    "district",
    "languages",
    "email",
    "phone",
    "website",
    "address",
    "description",
    "is_active",
]


def unique_slug(model, base: str, *, exclude_pk=None) -> str:
    root = slugify(base)[:90] or "item"
    slug, n = root, 2
    qs = model.objects.exclude(pk=exclude_pk) if exclude_pk else model.objects.all()
    while qs.filter(slug=slug).exists():
        slug, n = f"{root}-{n}", n + 1
    return slug


@transaction.atomic
def organisation_create(*, by, **data) -> Organisation:
    if by is not None:
        require(by, "organisation.create")
    organisation = Organisation(**{k: v for k, v in data.items() if k in ORGANISATION_FIELDS})
    organisation.slug = data.get("slug") or unique_slug(Organisation, organisation.name)
    organisation.full_clean()
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, by, **data) -> Organisation:
    require(by, "organisation.change", organisation)
    fields = [k for k in data if k in ORGANISATION_FIELDS]
    for field in fields:
        setattr(organisation, field, data[field])
    organisation.full_clean()
    organisation.save(update_fields=[*fields, "updated_at"])
    return organisation
