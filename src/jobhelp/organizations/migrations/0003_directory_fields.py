# The directory's fields (issue 15): stable public ids (UUIDs, HSDS), a description, and each
# location's coordinates and accessibility. Existing rows get their ids in between: a unique
# field with a callable default needs a value per row before it can be unique.

import uuid

from django.db import migrations, models


def give_ids(apps, schema_editor):
    for name in ("Organization", "Location"):
        model = apps.get_model("organizations", name)
        for pk in model.objects.filter(uuid__isnull=True).values_list("pk", flat=True):
            model.objects.filter(pk=pk).update(uuid=uuid.uuid4())


class Migration(migrations.Migration):

    dependencies = [
        ("organizations", "0002_triage"),
    ]

    operations = [
        migrations.AddField(
            model_name="organization",
            name="description",
            field=models.TextField(
                blank=True,
                help_text="What the organization does, for the directory.",
                verbose_name="description",
            ),
        ),
        migrations.AddField(
            model_name="organization",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="public id"),
        ),
        migrations.AddField(
            model_name="location",
            name="uuid",
            field=models.UUIDField(editable=False, null=True, verbose_name="public id"),
        ),
        migrations.RunPython(give_ids, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="organization",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
            ),
        ),
        migrations.AlterField(
            model_name="location",
            name="uuid",
            field=models.UUIDField(
                default=uuid.uuid4, editable=False, unique=True, verbose_name="public id"
            ),
        ),
        migrations.AddField(
            model_name="location",
            name="latitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="latitude"
            ),
        ),
        migrations.AddField(
            model_name="location",
            name="longitude",
            field=models.DecimalField(
                blank=True, decimal_places=6, max_digits=9, null=True, verbose_name="longitude"
            ),
        ),
        migrations.AddField(
            model_name="location",
            name="accessibility",
            field=models.TextField(
                blank=True,
                help_text="Entrances, parking, elevators, accessible computers, hearing loops.",
                verbose_name="accessibility",
            ),
        ),
        migrations.AddConstraint(
            model_name="location",
            constraint=models.CheckConstraint(
                condition=models.Q(("latitude__isnull", True), ("longitude__isnull", True))
                | models.Q(
                    ("latitude__gte", -90),
                    ("latitude__lte", 90),
                    ("longitude__gte", -180),
                    ("longitude__lte", 180),
                ),
                name="location_coordinates_both_and_in_range",
            ),
        ),
    ]
