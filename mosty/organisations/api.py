from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from mosty.core.api import AuditedDetailApi, AuditedListApi, choice_param
from mosty.core.routing import Routes
from mosty.organisations import selectors
from mosty.organisations.models import PROFILE_FIELDS, Organisation, OrganisationKind

routes = Routes()


class OrganisationOutputSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

    class Meta:
        model = Organisation
        fields = ["id", "slug", *PROFILE_FIELDS]


@routes.path("organisations/", name="organisation_list")
@extend_schema(tags=["organisations"])
class OrganisationListApi(AuditedListApi):
    """Search by `q` (name or e-mail address) and `kind`."""

    serializer_class = OrganisationOutputSerializer
    permission = "organisation.list"
    selector = selectors.organisation_list

    def filters(self, params):
        return {"q": params.get("q"), "kind": choice_param(params, "kind", OrganisationKind.values)}


@routes.path("organisations/<int:pk>/", name="organisation_detail")
@extend_schema(tags=["organisations"], responses=OrganisationOutputSerializer)
class OrganisationDetailApi(AuditedDetailApi):
    serializer_class = OrganisationOutputSerializer
    permission = "organisation.view"
    selector = selectors.organisation_get
