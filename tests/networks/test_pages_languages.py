"""Every network page renders in all seven languages, right-to-left where due."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.networks.routes import network_of_a, pending_invitation
from tests.utils import assert_pages_render

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
    assert_pages_render(Client(), public, language, check_direction=True)
    client.force_login(world.user("coordinator"))
    assert_pages_render(client, staff, language)
    invitations = reverse("networks:invitations", kwargs={"pk": network.pk})
    page = assert_pages_render(client, [invitations], language)
    if language != "en":
        assert "Invitations by e-mail" not in page  # the heading is translated
