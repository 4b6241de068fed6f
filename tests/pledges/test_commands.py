import pytest
from django.core.management import call_command
from django.utils import translation

from pledges.models import Pledge, ProgressUpdate
from stakeholders.models import Organization

pytestmark = pytest.mark.django_db


def test_generate_pledges_makes_marked_published_pledges():
    call_command("generate_pledges", count=120, seed=1)
    pledges = Pledge.objects.all()
    assert pledges.count() == 120
    assert all(p.is_synthetic and p.status == "published" for p in pledges)
    for pledge in pledges:
        title = pledge.localized_title.text
        assert title.startswith(("[Synthetic]", "[Synthétique]", "[اصطناعي]")), title
        assert pledge.objectives.exists()
        assert 300 <= len(getattr(pledge, f"description_{pledge.original_language}")) <= 3000
    assert ProgressUpdate.objects.exists()


def test_generate_pledges_clear_and_reuse_organizations_in_any_language():
    call_command("generate_pledges", count=10)
    organizations = Organization.objects.count()
    with translation.override("fr"):
        call_command("generate_pledges", count=5, clear=True)
    assert Pledge.objects.count() == 5
    assert Organization.objects.count() == organizations
