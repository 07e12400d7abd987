"""ObjectActionApi: an action without a body, and one answering with several records."""

from django.http import Http404
from rest_framework import serializers
from rest_framework.test import APIRequestFactory, force_authenticate

from mosty.core.api import ObjectActionApi


class _Thing:
    def __init__(self, pk):
        self.pk = pk


class _ThingSerializer(serializers.Serializer):
    pk = serializers.IntegerField()


def _thing_get(*, fetched_by, pk):
    if pk > 10:
        raise Http404
    return _Thing(pk)


class _Copy(ObjectActionApi):
    selector = staticmethod(_thing_get)
    output_serializer = _ThingSerializer
    created = many = True

    def act(self, obj, data):
        return [_Thing(obj.pk), _Thing(obj.pk + 100)]


class _Touch(ObjectActionApi):
    selector = staticmethod(_thing_get)
    output_serializer = _ThingSerializer

    def act(self, obj, data):
        assert data == {}
        return obj


def _post(view, world, pk, body=None):
    request = APIRequestFactory().post("/", body or {}, format="json")
    force_authenticate(request, user=world.user("coordinator", "a"))
    return view.as_view()(request, pk=pk)


def test_action_without_input_serializer_gets_no_data_and_answers_200(world):
    response = _post(_Touch, world, 3, {"ignored": "yes"})
    assert response.status_code == 200
    assert response.data == {"pk": 3}


def test_many_answers_every_record_with_201(world):
    response = _post(_Copy, world, 4)
    assert response.status_code == 201
    assert [row["pk"] for row in response.data] == [4, 104]


def test_object_the_selector_does_not_find_is_a_404(world):
    assert _post(_Touch, world, 11).status_code == 404
