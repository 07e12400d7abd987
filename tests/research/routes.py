from tests.access_matrix import Route
from tests.research.factories import make_focus_group, make_response, make_survey

RESEARCHERS = frozenset({"admin", "coordinator"})
INTERVIEWERS = frozenset({"admin", "coordinator", "caseworker"})
ANYONE = frozenset({"*"})


def _survey_pk(world):
    return {"pk": make_survey(world.org_a).pk}


def _draft_pk(world):
    return {"pk": make_survey(world.org_a, status="draft").pk}


def _survey_fmt(world):
    return {"pk": make_survey(world.org_a).pk, "fmt": "csv"}


def _slug(world):
    return {"slug": make_survey(world.org_a).slug}


def _token(world):
    survey = make_survey(world.org_a)
    return {"token": survey.invitations.create().token}


def _key(world):
    survey = make_survey(world.org_a)
    return {"key": make_response(survey, {}, submitted=False).key}


def _invited_key(world):
    survey = make_survey(world.org_a)
    invitation = survey.invitations.create()
    return {"key": make_response(survey, {}, submitted=False, invitation=invitation).key}


def _interview_key(world):
    survey = make_survey(world.org_a)
    response = make_response(
        survey, {}, submitted=False, mode="interview", entered_by=world.user("coordinator", "a")
    )
    return {"key": response.key}


def _page(world):
    return {"page": 0, "age": "34"}


def _group_pk(world):
    return {"pk": make_focus_group(world.org_a).pk}


ROUTES = [
    Route("research:list", allowed=INTERVIEWERS, org_scoped=False),
    Route("research:create", allowed=RESEARCHERS, org_scoped=False),
    Route("research:detail", allowed=RESEARCHERS, kwargs=_survey_pk),
    Route("research:edit", allowed=RESEARCHERS, kwargs=_survey_pk),
    Route("research:upload", allowed=RESEARCHERS, kwargs=_survey_pk),
    Route("research:open", allowed=RESEARCHERS, kwargs=_draft_pk, method="post", ok=(302,)),
    Route("research:close", allowed=RESEARCHERS, kwargs=_survey_pk, method="post", ok=(302,)),
    Route(
        "research:invitations",
        allowed=RESEARCHERS,
        kwargs=_survey_pk,
        method="post",
        data=lambda w: {"count": 3},
        ok=(302,),
    ),
    Route("research:invitations_csv", allowed=RESEARCHERS, kwargs=_survey_pk),
    Route("research:results", allowed=RESEARCHERS, kwargs=_survey_pk),
    Route(
        "research:summary",
        allowed=ANYONE,
        org_scoped=False,
        kwargs=_survey_pk,
        note="any member sees the suppressed summary of a survey that is not a draft",
    ),
    Route("research:export", allowed=RESEARCHERS, kwargs=_survey_fmt),
    Route("research:export_form", allowed=RESEARCHERS, kwargs=_survey_pk),
    Route(
        "research:interview",
        allowed=INTERVIEWERS,
        kwargs=_survey_pk,
        method="post",
        ok=(302,),
        note="staff of the owner enter answers from paper",
    ),
    Route("research:answer", public=True, allowed=ANYONE, kwargs=_slug),
    Route("research:invited", public=True, allowed=ANYONE, kwargs=_token),
    Route("research:respond", public=True, allowed=ANYONE, kwargs=_key),
    Route(
        "research:respond",
        allowed=INTERVIEWERS,
        kwargs=_interview_key,
        anonymous=(403,),
        note="interviewer mode: only the owner's staff enter the answers",
    ),
    # Instant skips answer whoever may answer the page itself, in each mode.
    *(
        Route(
            "research:respond_skips",
            public=True,
            allowed=ANYONE,
            kwargs=kwargs,
            method="post",
            data=_page,
            note=note,
        )
        for kwargs, note in (
            (_key, "an open link's response: its key is the respondent's secret"),
            (_invited_key, "a personal link's response"),
        )
    ),
    Route(
        "research:respond_skips",
        allowed=INTERVIEWERS,
        kwargs=_interview_key,
        method="post",
        data=_page,
        anonymous=(403,),
        note="interviewer mode",
    ),
    Route("research:focus_list", allowed=RESEARCHERS, org_scoped=False),
    Route("research:focus_create", allowed=RESEARCHERS, org_scoped=False),
    Route("research:focus_detail", allowed=RESEARCHERS, kwargs=_group_pk, reads_personal=True),
    Route("research:focus_edit", allowed=RESEARCHERS, kwargs=_group_pk, reads_personal=True),
]

ROUTES += [
    Route("api:survey_list", allowed=INTERVIEWERS, api=True, org_scoped=False),
    Route(
        "api:survey_results",
        allowed=ANYONE,
        api=True,
        org_scoped=False,
        kwargs=_survey_pk,
        note="suppressed for anyone outside the research team",
    ),
]
