import io

import pytest

from gcm_portal.demo import pledges as demo
from pledges.models import Pledge, ProgressUpdate, WrittenInput
from tests.factories import RegionalReviewFactory

pytestmark = pytest.mark.django_db


def test_demo_pledges_load_idempotently_in_three_languages():
    RegionalReviewFactory(round=2)  # the Arab region by default
    demo.load(stdout=io.StringIO())
    demo.load(stdout=io.StringIO())
    assert Pledge.objects.count() == len(demo.PLEDGES)
    assert set(Pledge.objects.values_list("original_language", flat=True)) == {"ar", "en", "fr"}
    assert set(Pledge.objects.values_list("form__key", flat=True)) == {
        "financial",
        "human_resources",
        "process",
        "policy",
    }
    assert ProgressUpdate.objects.exists()
    assert WrittenInput.objects.count() == 2
    lights = {p.traffic_light() for p in Pledge.objects.all()}
    assert {"on_track", "needs_update", "overdue", "fulfilled"} <= lights
    assert all(p.principles.exists() for p in Pledge.objects.exclude(form__key="financial"))
