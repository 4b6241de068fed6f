import re

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "direction", "heading"),
    [
        ("ar", "rtl", "الاستعراضات الإقليمية للاتفاق العالمي من أجل الهجرة"),
        ("en", "ltr", "Regional reviews of the Global Compact for Migration"),
        ("fr", "ltr", "Examens régionaux du Pacte mondial sur les migrations"),
    ],
)
def test_home_page_carries_language_and_direction(client, lang, direction, heading):
    response = client.get(f"/{lang}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<html lang="{lang}" dir="{direction}">' in html
    assert re.search(r"<h1>(.*?)</h1>", html).group(1) == heading


def test_home_lists_thematic_areas_and_objectives(client):
    html = client.get("/fr/").content.decode()
    assert html.count('class="card thematic-area"') == 4
    assert "Éliminer toutes les formes de discrimination" in html
    assert 'href="/fr/objectives/23/"' in html


def test_language_switcher_keeps_the_page(client):
    html = client.get("/en/objectives/17/").content.decode()
    assert 'href="/ar/objectives/17/"' in html
    assert 'href="/fr/objectives/17/"' in html
    assert client.get("/ar/objectives/17/").status_code == 200


def test_objective_page_marks_working_translation(client):
    fr = client.get("/fr/objectives/17/").content.decode()
    en = client.get("/en/objectives/17/").content.decode()
    assert "Éliminer toutes les formes de discrimination" in fr
    assert "pas encore été vérifiée" in fr
    assert "has not yet been verified" not in en


def test_unknown_objective_is_404_in_the_users_language(client):
    response = client.get("/ar/objectives/24/")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.content.decode()
