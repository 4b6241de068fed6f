"""Keep the dashboard cache honest whatever changes a pledge: portal services, the admin, the shell."""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from stakeholders.models import Organization

from .cache import bump_dashboard_version
from .models import Pledge, ProgressUpdate


def _bump_on_commit(**kwargs) -> None:
    transaction.on_commit(bump_dashboard_version)


def connect() -> None:
    for model in (Pledge, ProgressUpdate, Organization):
        post_save.connect(
            _bump_on_commit, sender=model, dispatch_uid=f"pledges-dashboard-save-{model.__name__}"
        )
        post_delete.connect(
            _bump_on_commit, sender=model, dispatch_uid=f"pledges-dashboard-delete-{model.__name__}"
        )
    for relation in (Pledge.objectives, Pledge.regions, Pledge.reviews):
        m2m_changed.connect(
            _bump_on_commit,
            sender=relation.through,
            dispatch_uid=f"pledges-dashboard-m2m-{relation.field.name}",
        )
