import pytest

from reviews.models import GuidingPrinciple, Objective, PledgeForm, Region, StakeholderGroup, ThematicArea
from reviews.reference_data import load_reference_data

pytestmark = pytest.mark.django_db


def test_the_23_objectives_exist_with_titles_in_three_languages():
    objectives = list(Objective.objects.order_by("number"))
    assert [o.number for o in objectives] == list(range(1, 24))
    for o in objectives:
        assert o.title_ar.strip() and o.title_en.strip() and o.title_fr.strip(), o.number
    assert Objective.objects.get(number=17).title_en.startswith("Eliminate all forms of discrimination")


def test_thematic_areas_cover_objectives_1_to_23_and_23_is_cross_cutting():
    areas = ThematicArea.objects.prefetch_related("objectives").order_by("number")
    assert [a.number for a in areas] == [1, 2, 3, 4]
    covered = sorted(o.number for a in areas for o in a.objectives.all())
    assert covered == list(range(1, 24))
    assert list(
        ThematicArea.objects.get(number=4).objectives.values_list("number", flat=True).order_by("number")
    ) == [
        1,
        3,
        7,
        17,
        23,
    ]
    assert list(Objective.objects.filter(cross_cutting=True).values_list("number", flat=True)) == [23]


def test_other_reference_lists_are_complete():
    assert GuidingPrinciple.objects.count() == 10
    assert StakeholderGroup.objects.count() == 13
    assert set(PledgeForm.objects.values_list("key", flat=True)) == {
        "financial",
        "human_resources",
        "process",
        "policy",
    }
    assert set(Region.objects.values_list("commission", flat=True)) == {
        "ECA",
        "ECE",
        "ECLAC",
        "ESCAP",
        "ESCWA",
    }


def test_a_country_may_belong_to_two_review_regions():
    arab, africa = Region.objects.get(key="arab"), Region.objects.get(key="africa")
    assert len(arab.countries) == 22
    assert "EG" in {c.code for c in arab.countries} & {c.code for c in africa.countries}


def test_translation_status_is_kept_per_language():
    seventeen = Objective.objects.get(number=17)
    assert seventeen.translation_status == {"en": "official", "fr": "working", "ar": "seed"}
    assert seventeen.unverified_languages() == ["fr"]
    assert Objective.objects.get(number=2).unverified_languages() == ["ar"]


def test_reloading_keeps_a_verification_made_by_staff():
    from django.apps import apps

    two = Objective.objects.get(number=2)
    two.translation_status = two.translation_status | {"ar": "verified"}
    two.save()
    load_reference_data(apps)
    assert Objective.objects.get(number=2).translation_status["ar"] == "verified"
    assert Objective.objects.count() == 23
