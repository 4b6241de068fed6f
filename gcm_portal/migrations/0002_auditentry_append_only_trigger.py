"""Make the audit log append-only in PostgreSQL itself, so raw SQL, bulk queryset updates and a compromised
admin cannot rewrite history either (AuditEntry.save/delete only guard the ORM's per-object path).

One UPDATE stays allowed: clearing `actor_id` or `content_type_id` to NULL. Deleting a user account or a
stale content type makes Django run exactly that UPDATE (on_delete=SET_NULL); the entry keeps naming the
person and the object through `actor_label` and `object_label`, which can never change.

TRUNCATE is deliberately not blocked: test databases are emptied with it between transactional tests, and
it needs table ownership, which the application role should not have in production.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION gcm_portal_auditentry_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE'
       AND (NEW.id, NEW.created_at, NEW.actor_label, NEW.action, NEW.object_id, NEW.object_label,
            NEW.before, NEW.after, NEW.note)
           IS NOT DISTINCT FROM
           (OLD.id, OLD.created_at, OLD.actor_label, OLD.action, OLD.object_id, OLD.object_label,
            OLD.before, OLD.after, OLD.note)
       AND (NEW.actor_id IS NULL OR NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id)
       AND (NEW.content_type_id IS NULL OR NEW.content_type_id IS NOT DISTINCT FROM OLD.content_type_id)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'gcm_portal_auditentry is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
"""

TRIGGER = """
CREATE TRIGGER gcm_portal_auditentry_append_only
BEFORE UPDATE OR DELETE ON gcm_portal_auditentry
FOR EACH ROW EXECUTE FUNCTION gcm_portal_auditentry_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS gcm_portal_auditentry_append_only ON gcm_portal_auditentry;
DROP FUNCTION IF EXISTS gcm_portal_auditentry_append_only();
"""


def install(apps, schema_editor):
    # The demo runs on SQLite, where the model's own guards are the protection.
    if schema_editor.connection.vendor == "postgresql":
        # params=None: the SQL contains RAISE's '%' placeholder, which must not be read as a query parameter.
        schema_editor.execute(FUNCTION, params=None)
        schema_editor.execute(TRIGGER, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("gcm_portal", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
