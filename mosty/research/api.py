"""Research API: the surveys a researcher runs, and a survey's results as numbers (the same
figures as the results page; small counts hidden for anyone outside the research team)."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from drf_spectacular.utils import extend_schema
from rest_framework import serializers

from mosty.access.policy import can
from mosty.core.api import AuditedDetailApi, AuditedListApi
from mosty.core.routing import Routes
from mosty.research import results, selectors
from mosty.research.models import Survey

routes = Routes()


class SurveyOutputSerializer(serializers.ModelSerializer[Survey]):
    submitted = serializers.IntegerField(read_only=True)
    started = serializers.IntegerField(read_only=True)

    class Meta:
        model = Survey
        fields = [
            "id",
            "title",
            "slug",
            "audience",
            "status",
            "closes_at",
            "response_cap",
            "anonymous_link",
            "submitted",
            "started",
        ]


class RowSerializer(serializers.Serializer[Any]):
    value = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"
    count = serializers.IntegerField(
        allow_null=True, help_text="null: hidden (a small count, or one that would reveal it)"
    )


class QuestionResultSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(source="question.name")
    kind = serializers.CharField(source="question.kind")
    label = serializers.CharField()  # type: ignore[assignment]  # a field named "label"
    answered = serializers.IntegerField(allow_null=True)
    rows = RowSerializer(many=True)
    # Numbers, never text formatted for a language: a program reads them.
    numbers = serializers.DictField(
        child=serializers.FloatField(),
        allow_null=True,
        help_text="mean and median (min and max for the research team), rounded to 0.1",
    )


class SurveyResultsSerializer(serializers.Serializer[Any]):
    survey = serializers.IntegerField()
    suppressed = serializers.BooleanField()
    total = serializers.IntegerField(allow_null=True)
    questions = QuestionResultSerializer(many=True)


@routes.path("research/surveys/", name="survey_list")
@extend_schema(tags=["research"])
class SurveyListApi(AuditedListApi):
    serializer_class = SurveyOutputSerializer
    permission = "survey.list"
    selector = selectors.survey_list
    filtered = False


@routes.path("research/surveys/<int:pk>/results/", name="survey_results")
@extend_schema(tags=["research"], responses=SurveyResultsSerializer)
class SurveyResultsApi(AuditedDetailApi):
    serializer_class = SurveyResultsSerializer
    permission = "survey.summary"

    def get_object(self, pk: int) -> Survey:
        return selectors.survey_summary_get(fetched_by=self.request.user, pk=pk)

    def serialize(self, survey: Survey) -> Any:
        suppress = not can(self.request.user, "survey.results", survey)
        version = survey.current_version()
        questions: list[results.QuestionResult] = []
        answers: list[dict[str, Any]] = []
        if version is not None:
            form = version.form()
            language = form.language(
                self.request.query_params.get("lang") or translation.get_language()
            )
            answers = list(selectors.submitted_answers(survey).values_list("answers", flat=True))
            questions = results.survey_results(form, answers, language, suppress=suppress)
            for result in questions:
                result.chart = None
        total = None if results.hidden(len(answers), suppress) else len(answers)
        return SurveyResultsSerializer(
            {"survey": survey.pk, "suppressed": suppress, "total": total, "questions": questions}
        ).data
