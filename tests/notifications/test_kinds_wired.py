"""The kinds of issue 9 item 5 sent where the events happen: assignments of CRM activities, leads and
opportunities to someone else, and the end of a background job (job_result)."""
from datetime import timedelta

from django.utils import timezone

from apps.crm.models import Party
from apps.crm.services.activities import activity_create, activity_update
from apps.crm.services.pipeline import lead_create, opportunity_create, opportunity_update
from apps.jobs.models import JobRun
from apps.jobs.services.runs import job_fail, job_succeed
from apps.notifications.models import Notification


def _assignments(user):
    return list(Notification.objects.filter(recipient=user, kind="assignment").order_by("pk"))


def test_assigning_crm_work_to_someone_else_notifies_them(users_a):
    boss, ana = users_a["direccion"], users_a["comercial"]
    party = Party.objects.create(display_name="Lucía Navarro", first_name="Lucía", last_name="Navarro",
                                 account_manager=ana)
    due = timezone.now() + timedelta(days=1)
    activity = activity_create(actor=boss, data={"kind": "call", "subject": "Llamar por la renovación",
                                                 "due_at": due, "party": party, "owner": ana})
    activity_create(actor=ana, data={"kind": "call", "subject": "Mi propia tarea", "due_at": due, "party": party})
    notices = _assignments(ana)
    assert [n.title for n in notices] == ["Se le ha asignado una actividad: Llamar por la renovación"]
    assert notices[0].url == f"/crm/actividades/{activity.pk}/" and "Lucía Navarro" in notices[0].body

    activity_update(actor=ana, activity=activity, data={"owner": boss})
    assert [n.title for n in _assignments(boss)] == ["Se le ha asignado una actividad: Llamar por la renovación"]

    lead = lead_create(actor=boss, data={"name": "Pedro Gil", "email": "pedro@example.es", "source": "web",
                                         "owner": ana})
    opportunity = opportunity_create(actor=ana, data={"party": party, "title": "Hogar 2027", "line_of_business": "hogar"})
    opportunity_update(actor=ana, opportunity=opportunity, data={"owner": boss})
    assert [n.url for n in _assignments(ana)][-1] == f"/crm/contactos-comerciales/{lead.pk}/"
    assert _assignments(boss)[-1].title == "Se le ha asignado una oportunidad: Hogar 2027"
    assert _assignments(boss)[-1].url == f"/crm/oportunidades/{opportunity.pk}/"


def test_the_person_who_started_a_job_hears_how_it_ended(admin_a):
    done = JobRun.objects.create(user=admin_a, task_name="x", label="Importación de clientes", message="120 filas")
    job_succeed(done, {"ok": True})
    failed = JobRun.objects.create(user=admin_a, task_name="x", label="Remesa SEPA")
    job_fail(failed, "ValueError: IBAN no válido")
    JobRun.objects.create(user=None, task_name="x", label="Sin dueño")
    notices = list(Notification.objects.filter(recipient=admin_a, kind="job_result").order_by("pk"))
    assert [(n.title, n.body) for n in notices] == [
        ("Proceso terminado: Importación de clientes", "120 filas"),
        ("Proceso con error: Remesa SEPA", "ValueError: IBAN no válido")]
    assert notices[0].url == f"/r/jobs/jobrun/{done.pk}/" and notices[0].digest_pending
