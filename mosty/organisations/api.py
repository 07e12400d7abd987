from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from mosty.access.policy import require
from mosty.organisations import selectors
from mosty.organisations.models import Organisation


class OrganisationOutputSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "slug",
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


@extend_schema(tags=["organisations"])
class OrganisationListApi(ListAPIView):
    serializer_class = OrganisationOutputSerializer

    def get_queryset(self):
        require(self.request.user, "organisation.list")
        return selectors.organisation_list(
            fetched_by=self.request.user,
            filters={
                "q": self.request.query_params.get("q"),
                "kind": self.request.query_params.get("kind"),
            },
        )


@extend_schema(tags=["organisations"])
class OrganisationDetailApi(RetrieveAPIView):
    serializer_class = OrganisationOutputSerializer

    def get_object(self):
        organisation = selectors.organisation_get(
            fetched_by=self.request.user, pk=self.kwargs["pk"]
        )
        require(self.request.user, "organisation.view", organisation)
        return organisation
