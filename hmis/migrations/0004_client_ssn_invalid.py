"""Client.ssn_invalid: HUD's SSN validity test, stored so that rules and reports never decrypt.

Existing rows are filled by decrypting each SSN once here (the importer sets it from now on).
A ciphertext the current key cannot read decrypts to "" and counts as not invalid, as before.
"""

from django.db import migrations, models

CHUNK = 5000


def fill(apps, schema_editor):
    from hmis import pii

    Client = apps.get_model("hmis", "Client")
    rows = (
        Client.objects.exclude(ssn_encrypted="")
        .values_list("pk", "ssn_encrypted")
        .order_by("pk")
        .iterator(chunk_size=CHUNK)
    )
    bad: list[int] = []
    for pk, token in rows:
        if pii.ssn_invalid(pii.decrypt(token)):
            bad.append(pk)
    for start in range(0, len(bad), CHUNK):
        Client.objects.filter(pk__in=bad[start : start + CHUNK]).update(ssn_invalid=True)


class Migration(migrations.Migration):
    dependencies = [("hmis", "0003_list_order_indexes")]

    operations = [
        migrations.AddField(
            model_name="client",
            name="ssn_invalid",
            field=models.BooleanField(default=False, verbose_name="SSN fails HUD's validity test"),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
