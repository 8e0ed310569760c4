from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("treasury", "0002_transfer_orders_and_retry"),
    ]

    operations = [
        migrations.AddField(
            model_name="reconciliation",
            name="posted",
            field=models.BooleanField(default=False, help_text="El cobro, pago o asiento lo registró la conciliación (deshacerla lo anula); si no, solo enlaza lo que ya existía.", verbose_name="contabilizada por la conciliación"),
        ),
    ]
