"""Who may read, edit and translate the knowledge base.

Reading published articles is public. *Editors* are the installation's admins and every
organisation's coordinators: the knowledge base is the city's, not one organisation's.
Translators are users an editor assigned to a translation; they work on that translation only.
"""

import rules
from django.db.models import QuerySet

from mosty.access.policy import POLICY
from mosty.access.roles import has_role, is_admin, names_the_user, remembered
from mosty.accounts.models import Role
from mosty.knowledge.models import (
    Article,
    ArticleTranslation,
    Booklet,
    BookletExport,
    TranslationState,
)


@rules.predicate
def is_editor(user) -> bool:
    return bool(is_admin(user) or has_role(user, Role.COORDINATOR))


is_assigned_translator = names_the_user("translator_id")


@rules.predicate
def is_translator(user) -> bool:
    """Someone an editor has given translation work (cached on the user for the request)."""
    return remembered(
        user,
        "_mosty_is_translator",
        lambda: ArticleTranslation.objects.filter(translator=user).exists(),
    )


POLICY.add_rule("knowledge.read", rules.always_allow)
POLICY.add_rule("knowledge.edit", is_editor)
POLICY.add_rule("knowledge.booklet", is_editor)
POLICY.add_rule("knowledge.translate", is_editor | is_assigned_translator)
POLICY.add_rule("knowledge.publish", is_editor)
POLICY.add_rule("knowledge.queue", is_editor | is_translator)


def visible_articles(user) -> QuerySet[Article]:
    """Editors see every article; everyone else those with at least one published language."""
    if is_editor(user):
        return Article.objects.all()
    return Article.objects.filter(translations__status=TranslationState.PUBLISHED).distinct()


def visible_translations(user) -> QuerySet[ArticleTranslation]:
    if is_editor(user):
        return ArticleTranslation.objects.all()
    published = ArticleTranslation.objects.filter(status=TranslationState.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        return published | ArticleTranslation.objects.filter(translator=user)
    return published


def visible_booklets(user) -> QuerySet[Booklet]:
    return Booklet.objects.all() if is_editor(user) else Booklet.objects.none()


def visible_booklet_exports(user) -> QuerySet[BookletExport]:
    return BookletExport.objects.all() if is_editor(user) else BookletExport.objects.none()
