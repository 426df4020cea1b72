"""Languages: the selector, <html lang dir> on every page, and complete catalogues."""

import pytest
from babel.messages.catalog import Message

from intake.cli.i18n import find_problems, message_problems
from intake.config import defaults
from intake.infra.i18n import LANGUAGES
from intake.models import Role
from tests.conftest import post

LOCALES = {code: language.direction for code, language in LANGUAGES.items()}


def test_sixteen_languages_are_offered_three_of_them_right_to_left():
    assert defaults("/nowhere")["LOCALES"] == list(LANGUAGES)
    assert len(LOCALES) == 16
    assert sorted(code for code, direction in LOCALES.items() if direction == "rtl") == [
        "ar", "fa", "ur"]


def html_tag(locale):
    return f'<html lang="{locale.replace("_", "-")}" dir="{LOCALES[locale]}">'


def test_the_catalogues_are_complete_and_consistent():
    assert find_problems() == []


def test_the_check_finds_what_would_break_a_page():
    assert message_problems(Message("Hello %(name)s", "Hola")) == ["placeholders differ"]
    assert message_problems(Message("Hello", "<script>alert(1)</script>")) == [
        "adds or drops HTML"]
    assert message_problems(Message("Hello", "")) == ["untranslated"]
    assert message_problems(Message("Hello", "Hola", flags=["fuzzy"])) == ["fuzzy"]
    assert message_problems(Message("Hello %(name)s", "Hola %(name)s")) == []


@pytest.mark.parametrize("locale", LOCALES)
def test_every_client_page_in_every_locale(kiosk, make_check_in, locale):
    kiosk.choose_language(locale)
    assert html_tag(locale) in kiosk.client.get("/").get_data(as_text=True)
    assert html_tag(locale) in kiosk.client.get("/what-to-expect").get_data(as_text=True)
    kiosk.start(make_check_in(questionnaire="intake").code)
    seen = 0
    while True:
        path, html = kiosk.current()
        if path == "/":
            break
        assert html_tag(locale) in html, path
        seen += 1
        response = kiosk.answer({"prior_therapy": "harmful"} if "prior_therapy" in path else {})
        if response.headers["Location"] == "/thanks":
            break
    assert seen == 14
    thanks = kiosk.client.get("/thanks").get_data(as_text=True)
    assert html_tag(locale) in thanks
    error = kiosk.client.get("/nowhere")
    assert error.status_code == 404 and html_tag(locale) in error.get_data(as_text=True)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_staff_page_in_every_locale(client, login, make_staff, locale):
    staff = make_staff(Role.ADMIN, locale=locale)
    assert html_tag(locale) in client.get("/staff/login", headers={
        "Accept-Language": locale.replace("_", "-")}).get_data(as_text=True)
    login(staff)
    assert html_tag(locale) in client.get("/staff/").get_data(as_text=True)


@pytest.mark.parametrize("locale", ["zh_Hans", "zh_Hant"])
def test_chinese_sentences_are_not_joined_by_a_latin_space(client, locale):
    page = client.get("/", headers={"Accept-Language": locale.replace("_", "-")})
    footer = page.get_data(as_text=True).split('<footer class="safety">')[1]
    assert "。 " not in footer and "。</p>" in footer


def test_the_menu_beats_the_session_beats_accept_language(kiosk):
    page = kiosk.client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert html_tag("es") in page.get_data(as_text=True)
    kiosk.choose_language("ar")
    page = kiosk.client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert html_tag("ar") in page.get_data(as_text=True)


@pytest.mark.parametrize("header,expected", [
    ("zh-CN,zh;q=0.9", "zh_Hans"), ("zh-Hans", "zh_Hans"), ("zh-TW", "zh_Hant"),
    ("zh-HK,en;q=0.5", "zh_Hant"), ("zh-Hant-TW", "zh_Hant"), ("fr-FR", "fr"), ("fr-CA", "fr"),
    ("tl", "fil"), ("fil-PH", "fil"), ("pt-PT", "pt_BR"), ("pt-BR", "pt_BR"), ("ur-PK", "ur"),
    ("so-SO", "so"), ("de-DE", "en"), ("de-DE, ko;q=0.4", "ko"),
    ("", "en"), ("*", "en"), ("ar-EG;q=0.5, de;q=0.9", "ar"),
])
def test_accept_language_is_negotiated_among_configured_locales(client, header, expected):
    page = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert html_tag(expected) in page


def test_a_staff_members_language_follows_their_account(client, login, make_staff):
    login(make_staff(locale="ar"))
    assert html_tag("ar") in client.get("/staff/").get_data(as_text=True)
    post(client, "/language", {"locale": "es", "next": "/staff/"}, token_from="/staff/")
    assert html_tag("es") in client.get("/staff/").get_data(as_text=True)


def test_the_language_menu_names_each_language_in_itself(client):
    page = client.get("/").get_data(as_text=True)
    assert 'lang="ar" dir="rtl">العربية</button>' in page
    assert 'lang="zh-Hans">简体中文</button>' in page
    assert 'lang="es">Español</button>' in page
    assert 'lang="zh-Hant">繁體中文</button>' in page
    assert 'lang="fa" dir="rtl">فارسی</button>' in page
    assert 'lang="ur" dir="rtl">اردو</button>' in page
    assert 'lang="pt-BR">Português</button>' in page
    assert page.count('<button name="locale"') == 16
    # In a right-to-left page, the left-to-right names say so.
    kiosk_page = client.get("/", headers={"Accept-Language": "fa"}).get_data(as_text=True)
    assert 'lang="es" dir="ltr">Español</button>' in kiosk_page
    assert 'lang="ar">العربية</button>' in kiosk_page
