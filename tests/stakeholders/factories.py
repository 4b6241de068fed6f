import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from stakeholders.models import StakeholderProfile
from tests.factories import UserFactory, stakeholder_group

PASSWORD = "correct-horse-battery"


def verified_user(**kwargs):
    """A user who can log in through allauth: mandatory verification wants a verified primary address."""
    user = UserFactory(**kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


class StakeholderProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StakeholderProfile

    user = factory.SubFactory(UserFactory)
    full_name = factory.Sequence(lambda n: f"Amina Participant {n}")
    # Reference data is loaded by migration: fetch it, never create it.
    stakeholder_group = factory.LazyFunction(lambda: stakeholder_group("civil_society"))
    country = "EG"
    gender = StakeholderProfile.Gender.WOMAN
    preferred_language = "en"
    terms_accepted_at = factory.LazyFunction(timezone.now)
