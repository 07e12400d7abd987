"""Every network page renders in all seven languages, right-to-left where due."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.networks.routes import network_of_a, pending_invitation

LANGUAGES = ["pl", "en", "uk", "ru", "ar", "fa", "fr"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_network_pages_render_in_every_language(client, world, language):
    network = network_of_a(world)
    pending_invitation(world, token="jezyki")
    translation.activate("pl")  # reverse() below gives /pl/ URLs whatever ran before
    public = [
        reverse("networks:public_list"),
        reverse("networks:public", kwargs={"slug": network.slug}),
        reverse("networks:invitation_accept", kwargs={"token": "jezyki"}),
    ]
    staff = [
        reverse("networks:list"),
        reverse("networks:create"),
        reverse("networks:detail", kwargs={"pk": network.pk}),
        reverse("networks:members", kwargs={"pk": network.pk}),
        reverse("networks:invitations", kwargs={"pk": network.pk}),
        reverse("networks:meeting_create", kwargs={"pk": network.pk}),
        reverse("networks:document_share", kwargs={"pk": network.pk}),
    ]
    direction = "rtl" if language in {"ar", "fa"} else "ltr"
    visitor = Client()
    for url in public:
        response = visitor.get(url.replace("/pl/", f"/{language}/", 1))
        assert response.status_code == 200, url
        assert f'dir="{direction}"' in response.content.decode()[:400], url
    client.force_login(world.user("coordinator"))
    for url in staff:
        response = client.get(url.replace("/pl/", f"/{language}/", 1))
        assert response.status_code == 200, url
    invitations = reverse("networks:invitations", kwargs={"pk": network.pk})
    page = client.get(invitations.replace("/pl/", f"/{language}/", 1)).content.decode()
    if language != "en":
        assert "Invitations by e-mail" not in page  # the heading is translated
