"""The audit log is append-only in the database itself, not only through the model's save/delete."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from gcm_portal.audit import record_audit
from gcm_portal.models import AuditEntry
from reviews.models import Objective
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(user):
    return record_audit(
        actor=user,
        action="objective.edit",
        obj=Objective.objects.get(number=17),
        before={"title": "old"},
        after={"title": "new"},
    )


def test_bulk_update_through_the_orm_is_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(note="rewritten")
    entry.refresh_from_db()
    assert entry.note == ""


def test_raw_sql_update_is_refused(entry):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE gcm_portal_auditentry SET after = '{}'::jsonb WHERE id = %s", [entry.pk])
    entry.refresh_from_db()
    assert entry.after == {"title": "new"}


def test_bulk_and_raw_delete_are_refused(entry):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk)._raw_delete(AuditEntry.objects.db)
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM gcm_portal_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_moving_an_entry_to_another_person_is_refused(entry):
    someone_else = UserFactory()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(actor=someone_else)
    entry.refresh_from_db()
    assert entry.actor_id != someone_else.pk


def test_deleting_the_actor_keeps_the_entry_and_its_label(entry, user):
    username = user.get_username()
    user.delete()
    entry.refresh_from_db()
    assert entry.actor is None
    assert entry.actor_label == username
    assert entry.after == {"title": "new"}


def test_inserting_still_works(user):
    record_audit(actor=user, action="first")
    record_audit(actor=None, action="second")
    assert list(AuditEntry.objects.order_by("id").values_list("action", "actor_label")) == [
        ("first", user.get_username()),
        ("second", "system"),
    ]


def test_trigger_is_installed_by_migration():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger WHERE tgrelid = 'gcm_portal_auditentry'::regclass AND NOT tgisinternal"
        )
        assert [row[0] for row in cursor.fetchall()] == ["gcm_portal_auditentry_append_only"]
