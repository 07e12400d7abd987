"""Every directory page renders in all seven languages, right-to-left where due."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.directory.factories import HousingOfferFactory, LinguistFactory, service_with_location

LANGUAGES = ["pl", "en", "uk", "ru", "ar", "fa", "fr"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_pages_render_in_every_language(client, world, language):
    service = service_with_location(world.org_a, district=world.district)
    offer = HousingOfferFactory(organisation=world.org_a)
    linguist = LinguistFactory(organisation=world.org_a)
    translation.activate("pl")  # reverse() below gives /pl/ URLs whatever ran before
    public = [
        reverse("directory:list"),
        reverse("directory:map"),
        reverse("directory:service", kwargs={"pk": service.pk}),
        reverse("directory:districts"),
        reverse("directory:district", kwargs={"code": world.district.code}),
        reverse("core:home"),
    ]
    staff = [
        reverse("directory:manage"),
        reverse("directory:service_create"),
        reverse("directory:service_edit", kwargs={"pk": service.pk}),
        reverse("directory:service_translate", kwargs={"pk": service.pk}),
        reverse("directory:location_create"),
        reverse("directory:housing_list"),
        reverse("directory:housing_match") + "?size=2",
        reverse("directory:housing_create"),
        reverse("directory:housing_detail", kwargs={"pk": offer.pk}),
        reverse("directory:linguist_list") + "?source=uk&target=pl",
        reverse("directory:linguist_detail", kwargs={"pk": linguist.pk}),
        reverse("directory:linguist_create"),
        reverse("core:dashboard"),
    ]
    direction = "rtl" if language in {"ar", "fa"} else "ltr"
    for url in public:
        response = client.get(url.replace("/pl/", f"/{language}/", 1))
        assert response.status_code == 200, url
        assert f'dir="{direction}"' in response.content.decode()[:400], url
    client.force_login(world.user("coordinator"))
    for url in staff:
        response = client.get(url.replace("/pl/", f"/{language}/", 1))
        assert response.status_code == 200, url
    page = client.get(f"/{language}/directory/").content.decode()
    if language != "en":
        assert "Services directory" not in page  # the heading is translated
