"""Participation demo: a citizens' budget and a consultation explained in the seven languages
with alert subscribers, a newcomer's idea taken from draft to result with a mentor's support,
and an opinion on the consultation answered by its organiser. Written through the services,
so the demo's audit log shows the same trail as real use."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from mosty.accounts.models import User
from mosty.core.seeding import seeder
from mosty.organisations.models import Organisation
from mosty.participation import services
from mosty.participation.models import (
    AlertSubscription,
    GroupKind,
    IdeaKind,
    IdeaStatus,
    MemberRole,
    Programme,
    Response,
)

BUDGET: dict[str, tuple[str, ...]] = {
    "pl": (
        "Budżet obywatelski",
        "Mieszkańcy sami decydują, na co miasto wyda część budżetu: zgłaszają projekty, a potem głosują.",
        "Projekt może zgłosić i głosować każda osoba mieszkająca w mieście, także cudzoziemcy, bez względu na obywatelstwo i meldunek.",
        "1. Zgłoszenie projektu (do końca naboru). 2. Ocena urzędu. 3. Głosowanie we wrześniu. 4. Realizacja w kolejnym roku.",
    ),
    "en": (
        "Citizens' budget",
        "Residents decide what the city spends part of its budget on: they propose projects and then vote.",
        "Anyone living in the city may propose a project and vote, foreigners too, whatever their citizenship or registration.",
        "1. Propose a project (until the call closes). 2. The city office checks it. 3. Vote in September. 4. The project is carried out the next year.",
    ),
    "uk": (
        "Громадський бюджет",
        "Мешканці самі вирішують, на що місто витратить частину бюджету: подають проєкти, а потім голосують.",
        "Подати проєкт і голосувати може кожен, хто живе в місті, зокрема іноземці, незалежно від громадянства та реєстрації.",
        "1. Подання проєкту (до кінця конкурсу). 2. Оцінка міської ради. 3. Голосування у вересні. 4. Реалізація наступного року.",
    ),
    "ru": (
        "Гражданский бюджет",
        "Жители сами решают, на что город потратит часть бюджета: подают проекты, а затем голосуют.",
        "Подать проект и голосовать может любой, кто живёт в городе, в том числе иностранцы, независимо от гражданства и регистрации.",
        "1. Подача проекта (до конца конкурса). 2. Проверка в мэрии. 3. Голосование в сентябре. 4. Реализация в следующем году.",
    ),
    "ar": (
        "الميزانية التشاركية",
        "يقرّر السكان بأنفسهم كيف تُنفق المدينة جزءًا من ميزانيتها: يقترحون مشاريع ثم يصوّتون عليها.",
        "يمكن لكل من يسكن في المدينة اقتراح مشروع والتصويت، ومنهم الأجانب، بصرف النظر عن الجنسية أو التسجيل.",
        "1. تقديم المشروع (حتى إغلاق الدعوة). 2. مراجعة البلدية. 3. التصويت في سبتمبر. 4. التنفيذ في العام التالي.",
    ),
    "fa": (
        "بودجه مشارکتی شهروندان",
        "ساکنان خودشان تصمیم می‌گیرند شهر بخشی از بودجه‌اش را صرف چه کند: پروژه پیشنهاد می‌دهند و سپس رأی می‌دهند.",
        "هر کسی که در شهر زندگی می‌کند، از جمله خارجی‌ها، بدون توجه به تابعیت یا ثبت اقامت، می‌تواند پروژه پیشنهاد دهد و رأی بدهد.",
        "۱. ارسال پروژه (تا پایان فراخوان). ۲. بررسی شهرداری. ۳. رأی‌گیری در سپتامبر. ۴. اجرا در سال بعد.",
    ),
    "fr": (
        "Budget participatif",
        "Les habitants décident eux-mêmes à quoi la ville consacre une partie de son budget : ils proposent des projets, puis votent.",
        "Toute personne qui habite la ville peut proposer un projet et voter, y compris les étrangers, quelle que soit leur nationalité ou leur déclaration de résidence.",
        "1. Dépôt du projet (jusqu’à la clôture de l’appel). 2. Examen par la mairie. 3. Vote en septembre. 4. Réalisation l’année suivante.",
    ),
}

BUDGET_CALL: dict[str, tuple[str, ...]] = {
    "pl": (
        "Nabór projektów 2027",
        "Zgłoś pomysł na swoje osiedle: zieleń, sport, kultura, spotkania sąsiedzkie.",
    ),
    "en": (
        "Call for projects 2027",
        "Propose an idea for your neighbourhood: greenery, sport, culture, neighbours' meetings.",
    ),
    "uk": (
        "Конкурс проєктів 2027",
        "Запропонуйте ідею для свого району: зелень, спорт, культура, сусідські зустрічі.",
    ),
    "ru": (
        "Конкурс проектов 2027",
        "Предложите идею для своего района: зелень, спорт, культура, соседские встречи.",
    ),
    "ar": (
        "دعوة المشاريع 2027",
        "اقترح فكرة لحيّك: مساحات خضراء، رياضة، ثقافة، لقاءات بين الجيران.",
    ),
    "fa": (
        "فراخوان پروژه‌های ۲۰۲۷",
        "ایده‌ای برای محله‌تان پیشنهاد دهید: فضای سبز، ورزش، فرهنگ، دیدار همسایگان.",
    ),
    "fr": (
        "Appel à projets 2027",
        "Proposez une idée pour votre quartier : espaces verts, sport, culture, rencontres entre voisins.",
    ),
}

CONSULTATIONS: dict[str, tuple[str, ...]] = {
    "pl": (
        "Konsultacje społeczne",
        "Miasto pyta mieszkańców o zdanie, zanim przyjmie ważne dokumenty.",
        "Każda osoba mieszkająca w mieście, także cudzoziemcy.",
        "",
    ),
    "en": (
        "Public consultations",
        "The city asks residents for their opinion before it adopts important documents.",
        "Anyone living in the city, foreigners too.",
        "",
    ),
    "uk": (
        "Громадські консультації",
        "Місто питає думку мешканців, перш ніж ухвалити важливі документи.",
        "Кожен, хто живе в місті, зокрема іноземці.",
        "",
    ),
    "ru": (
        "Общественные консультации",
        "Город спрашивает мнение жителей, прежде чем принять важные документы.",
        "Любой, кто живёт в городе, в том числе иностранцы.",
        "",
    ),
    "ar": (
        "المشاورات العامة",
        "تسأل المدينة السكان عن رأيهم قبل اعتماد الوثائق المهمة.",
        "كل من يسكن في المدينة، ومنهم الأجانب.",
        "",
    ),
    "fa": (
        "رایزنی‌های عمومی",
        "شهر پیش از تصویب سندهای مهم، نظر ساکنان را می‌پرسد.",
        "هر کسی که در شهر زندگی می‌کند، از جمله خارجی‌ها.",
        "",
    ),
    "fr": (
        "Consultations publiques",
        "La ville demande l’avis des habitants avant d’adopter des documents importants.",
        "Toute personne qui habite la ville, y compris les étrangers.",
        "",
    ),
}

STRATEGY: dict[str, tuple[str, ...]] = {
    "pl": (
        "Strategia integracji cudzoziemców 2027–2030",
        "Projekt strategii opisuje, jak miasto będzie wspierać nowych mieszkańców: język, praca, mieszkanie, szkoła.",
        "Przeczytaj projekt i wyślij opinię przez Mosty albo formularz na stronie miasta. Możesz pisać w swoim języku.",
    ),
    "en": (
        "Strategy for the integration of foreigners 2027–2030",
        "The draft strategy says how the city will support new residents: language, work, housing, school.",
        "Read the draft and send your opinion through Mosty or the form on the city's website. You may write in your own language.",
    ),
    "uk": (
        "Стратегія інтеграції іноземців 2027–2030",
        "Проєкт стратегії описує, як місто підтримуватиме нових мешканців: мова, робота, житло, школа.",
        "Прочитайте проєкт і надішліть думку через Mosty або форму на сайті міста. Можна писати своєю мовою.",
    ),
    "ru": (
        "Стратегия интеграции иностранцев 2027–2030",
        "Проект стратегии описывает, как город будет поддерживать новых жителей: язык, работа, жильё, школа.",
        "Прочитайте проект и отправьте мнение через Mosty или форму на сайте города. Можно писать на своём языке.",
    ),
    "ar": (
        "استراتيجية إدماج الأجانب 2027–2030",
        "يبيّن مشروع الاستراتيجية كيف ستدعم المدينة السكان الجدد: اللغة، العمل، السكن، المدرسة.",
        "اقرأ المشروع وأرسل رأيك عبر Mosty أو عبر النموذج في موقع المدينة. يمكنك الكتابة بلغتك.",
    ),
    "fa": (
        "راهبرد ادغام خارجی‌ها ۲۰۲۷–۲۰۳۰",
        "پیش‌نویس راهبرد می‌گوید شهر چگونه از ساکنان تازه پشتیبانی خواهد کرد: زبان، کار، مسکن، مدرسه.",
        "پیش‌نویس را بخوانید و نظرتان را از راه Mosty یا فرم وبگاه شهر بفرستید. می‌توانید به زبان خودتان بنویسید.",
    ),
    "fr": (
        "Stratégie d’intégration des étrangers 2027–2030",
        "Le projet de stratégie dit comment la ville soutiendra les nouveaux habitants : langue, emploi, logement, école.",
        "Lisez le projet et envoyez votre avis via Mosty ou le formulaire du site de la ville. Vous pouvez écrire dans votre langue.",
    ),
}


def _programme_texts(texts: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    return [
        {"language": lang, "title": t[0], "summary": t[1], "eligibility": t[2], "steps": t[3]}
        for lang, t in texts.items()
    ]


def _call_texts(texts: dict[str, tuple[str, ...]]) -> list[dict[str, Any]]:
    return [
        {
            "language": lang,
            "title": t[0],
            "summary": t[1],
            "how_to_respond": t[2] if len(t) > 2 else "",
        }
        for lang, t in texts.items()
    ]


@seeder("participation", order=70)  # type: ignore[untyped-decorator]
def seed_participation(ctx: Any) -> str:
    if ctx.scale == "large":
        return "demo data only"
    if Programme.objects.exists():
        return f"{Programme.objects.count()} programmes already there"
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.mosty.local")}
    publisher = users.get("coordinator2@demo.mosty.local")
    coordinator = users.get("coordinator@demo.mosty.local")
    caseworker = users.get("caseworker@demo.mosty.local")
    mentor = users.get("mentor@demo.mosty.local")
    newcomer = users.get("participant@demo.mosty.local")
    ngo = Organisation.objects.filter(slug="fundacja-most").first()
    office = Organisation.objects.filter(slug="centrum-wsparcia").first()
    if None in (publisher, coordinator, caseworker, mentor, newcomer, ngo, office):
        return "demo users missing: run the organisations seeder first"
    with transaction.atomic():
        return _seed_demo(publisher, coordinator, caseworker, mentor, newcomer, ngo, office)


def _seed_demo(
    publisher: Any,
    coordinator: Any,
    caseworker: Any,
    mentor: Any,
    newcomer: Any,
    ngo: Any,
    office: Any,
) -> str:
    today = timezone.localdate()
    budget = services.programme_create(
        organisation=office,
        by=publisher,
        kind="citizens_budget",
        source_language="pl",
        foreigners_may_take_part=True,
        official_url="https://www.gdansk.pl/budzet-obywatelski",
        is_published=True,
        translations=_programme_texts(BUDGET),
    )
    past_call = services.call_create(
        programme=budget,
        by=publisher,
        source_language="pl",
        opens_on=today - timedelta(days=120),
        closes_on=today - timedelta(days=60),
        translations=_call_texts(
            {
                lang: (title.replace("2027", "2026"), text)
                for lang, (title, text) in BUDGET_CALL.items()
            }
        ),
    )
    services.call_create(
        programme=budget,
        by=publisher,
        source_language="pl",
        opens_on=today - timedelta(days=5),
        closes_on=today + timedelta(days=7),
        translations=_call_texts(BUDGET_CALL),
    )
    consultations = services.programme_create(
        organisation=office,
        by=publisher,
        kind="consultation",
        source_language="pl",
        foreigners_may_take_part=True,
        is_published=True,
        translations=_programme_texts(CONSULTATIONS),
    )
    strategy = services.call_create(
        programme=consultations,
        by=publisher,
        source_language="pl",
        opens_on=today - timedelta(days=10),
        closes_on=today + timedelta(days=20),
        collects_opinions=True,
        translations=_call_texts(STRATEGY),
    )
    services.call_document_add(
        call=strategy,
        by=publisher,
        title="Projekt strategii (PDF)",
        url="https://www.gdansk.pl/konsultacje",
    )
    now = timezone.now()
    for email, language in (("olena.alerts@example.org", "uk"), ("karim.alerts@example.org", "ar")):
        AlertSubscription.objects.create(email=email, language=language, confirmed_at=now)

    # A newcomer's idea for the 2026 budget, from draft to selected, with a mentor's support.
    idea = services.idea_create(
        organisation=ngo,
        by=newcomer,
        kind=IdeaKind.PROJECT,
        call=past_call,
        title="Kącik językowy w bibliotece na Zaspie",
        text="Cotygodniowe spotkania po polsku i ukraińsku dla sąsiadów, z grami i herbatą.",
    )
    services.idea_assign(idea=idea, supporter=mentor, by=coordinator)
    for days, hours, note in ((100, "1.5", "Opis i budżet"), (90, "2", "Zgłoszenie w systemie")):
        services.support_log(
            idea=idea, by=mentor, date=today - timedelta(days=days), hours=Decimal(hours), note=note
        )
    idea = services.idea_submit(idea=idea, by=mentor)
    services.idea_record_result(idea=idea, result=IdeaStatus.SELECTED, by=caseworker)
    # One still in draft, so the demo newcomer can take it further.
    draft = services.idea_create(
        organisation=ngo,
        by=newcomer,
        kind=IdeaKind.PROJECT,
        title="Ławki i cień przy placu zabaw",
        text="Rodzice czekają na dzieci w pełnym słońcu; proponujemy ławki i drzewa.",
    )
    services.idea_assign(idea=draft, supporter=mentor, by=coordinator)
    # An opinion on the strategy, handed over and answered by the organiser.
    opinion = services.idea_create(
        organisation=ngo,
        by=newcomer,
        kind=IdeaKind.RESPONSE,
        call=strategy,
        title="Informacje w urzędzie po ukraińsku",
        text="Prosimy o tłumaczenia formularzy i dyżur tłumacza w urzędzie raz w tygodniu.",
    )
    opinion = services.idea_submit(idea=opinion, by=newcomer)
    services.idea_answer(
        idea=opinion,
        answer="Uwzględniono: rozdział 3 przewiduje tłumaczenie formularzy i dyżur tłumacza.",
        by=publisher,
    )
    groups = _seed_groups(ngo, coordinator, newcomer, today, strategy)
    return f"2 programmes, 3 calls, 2 alert subscribers, 3 ideas and opinions, {groups} groups"


STRATEGY_DRAFT = (
    "Cel 1. Każda osoba przybywająca do województwa ma dostęp do bezpłatnego kursu języka "
    "polskiego w ciągu trzech miesięcy.",
    "Cel 2. Urzędy pracy uznają kwalifikacje zdobyte za granicą i pomagają w nostryfikacji.",
    "Cel 3. Gminy tworzą rady imigrantów, które opiniują lokalne programy.",
)


def _seed_groups(ngo: Any, coordinator: Any, newcomer: Any, today: Any, strategy: Any) -> int:
    users = {u.email: u for u in User.objects.filter(email__endswith="@demo.mosty.local")}
    members = [
        users[e]
        for e in ("caseworker@demo.mosty.local", "translator@demo.mosty.local")
        if e in users
    ]
    start = today - timedelta(days=90)
    team = services.group_create(
        organisation=ngo,
        by=coordinator,
        name="Regionalny Zespół Imigrantów",
        kind=GroupKind.ADVISORY_TEAM,
        description="Opiniujemy strategię województwa i programy gmin.",
        is_public=True,
    )
    services.group_member_add(
        group=team, by=coordinator, user=newcomer, role=MemberRole.LEADER, starts_on=start
    )
    for user in members:
        services.group_member_add(
            group=team, by=coordinator, user=user, role=MemberRole.MEMBER, starts_on=start
        )
    services.group_meeting_record(
        group=team,
        by=newcomer,
        date=today - timedelta(days=14),
        place="Centrum Sąsiedzkie",
        decisions="Przyjmujemy opinię do projektu strategii (3 punkty).",
    )
    document = services.policy_document_create(
        group=team,
        by=newcomer,
        title="Projekt strategii województwa 2030",
        call=strategy,
        text="\n\n".join(STRATEGY_DRAFT),
    )
    sections = list(document.sections.order_by("number"))
    if members:
        services.section_comment(
            section=sections[1],
            by=members[0],
            text="Nostryfikacja trwa za długo: potrzebny doradca.",
        )
    points = [
        ("Kursy także wieczorem i online, dla osób pracujących.", 0, Response.ACCEPTED, ""),
        (
            "Doradca ds. uznawania kwalifikacji w każdym urzędzie pracy.",
            1,
            Response.PARTLY,
            "Doradca będzie w urzędzie wojewódzkim, nie w każdym powiecie.",
        ),
        (
            "Rada imigrantów także na poziomie województwa.",
            2,
            Response.REJECTED,
            "Samorząd województwa nie ma podstawy prawnej, by powołać taką radę.",
        ),
    ]
    for text, index, response, reason in points:
        point = services.opinion_point_adopt(
            document=document, by=newcomer, text=text, section=sections[index]
        )
        services.opinion_point_respond(point=point, by=newcomer, response=response, reason=reason)

    women = services.group_create(
        organisation=ngo,
        by=coordinator,
        name="Stowarzyszenie Miejskie Gospodynie",
        kind=GroupKind.WOMENS_GROUP,
        women_only=True,
        description="Sieć samopomocy kobiet: gotowanie, opieka nad dziećmi, nauka polskiego.",
        is_public=True,
    )
    leader = users.get("assistant@demo.mosty.local")
    if leader is not None:
        services.group_member_add(
            group=women, by=coordinator, user=leader, role=MemberRole.LEADER, starts_on=start
        )
    for days, decisions in (
        (30, "Dyżury opieki nad dziećmi w czwartki."),
        (7, "Wspólna kuchnia w maju."),
    ):
        services.group_meeting_record(
            group=women,
            by=coordinator,
            date=today - timedelta(days=days),
            place="Klub sąsiedzki",
            decisions=decisions,
        )

    cooperative = services.group_create(
        organisation=ngo,
        by=coordinator,
        name="Spółdzielnia socjalna Smaki Świata (w tworzeniu)",
        kind=GroupKind.COOPERATIVE,
        description="Catering kuchni ukraińskiej, syryjskiej i gruzińskiej.",
    )
    if members:
        services.group_member_add(
            group=cooperative,
            by=coordinator,
            user=members[-1],
            role=MemberRole.LEADER,
            starts_on=start,
        )
    services.group_meeting_record(
        group=cooperative,
        by=coordinator,
        date=today - timedelta(days=21),
        decisions="Zatwierdzamy projekt statutu.",
        place="Fundacja",
    )
    for step, due, done, support in (
        ("founding_group", None, start, "Pięć osób założycielskich."),
        ("training", None, today - timedelta(days=40), "Szkolenie OWES: 24 godziny."),
        ("statute", None, today - timedelta(days=21), "Porada prawna OWES."),
        ("registration", today + timedelta(days=30), None, ""),
        ("business_plan", today + timedelta(days=45), None, "Doradca biznesowy OWES."),
        (
            "funding",
            today + timedelta(days=90),
            None,
            "Wniosek o dotację na utworzenie miejsc pracy.",
        ),
    ):
        services.milestone_record(
            group=cooperative, by=coordinator, step=step, due_on=due, done_on=done, support=support
        )
    return 3
