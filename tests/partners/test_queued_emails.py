"""The e-mails of applications and enquiries go through the task queue, as
in production: the request stores a task and sends nothing; the worker
(`manage.py db_worker`) sends it later, from the row as it is then."""

import pytest
from django_tasks_db.models import DBTaskResult

from django.core import mail

from home.models import HomePage
from partners import applications, enquiries
from partners.choices import ApplicationStatus

from .challenge_factories import ChallengePageFactory, application_data
from .factories import PartnerIndexPageFactory, PartnerPageFactory
from .opportunity_factories import OpportunityPageFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def partner(task_queue):
    home = HomePage.objects.get(locale__language_code="it", depth=2)
    directory = PartnerIndexPageFactory(parent=home)
    partner = PartnerPageFactory(parent=directory, title="Officina Beta", email="hr@beta.example")
    task_queue()  # what publishing the pages queued (search and reference index)
    DBTaskResult.objects.all().delete()
    mail.outbox.clear()
    return partner


def queued():
    return sorted(DBTaskResult.objects.values_list("task_path", flat=True))


def test_an_enquiry_is_e_mailed_by_the_worker(task_queue, partner):
    opportunity = OpportunityPageFactory(parent=partner, title="Tirocinio")
    task_queue()
    DBTaskResult.objects.all().delete()
    data = {"name": "Amina Diallo", "email": "amina@example.org", "message": "Vorrei candidarmi."}

    enquiry = enquiries.submit_enquiry(opportunity, data, "it")

    assert mail.outbox == []
    assert queued() == ["partners.enquiries.send_enquiry"]
    task_queue()
    [message] = mail.outbox
    assert message.to == ["hr@beta.example"] and message.reply_to == ["amina@example.org"]
    assert "Vorrei candidarmi." in message.body
    assert enquiry.delivered_to == "hr@beta.example"


def test_an_enquiry_anonymised_before_the_worker_runs_is_not_sent(task_queue, partner):
    opportunity = OpportunityPageFactory(parent=partner)
    data = {"name": "Amina Diallo", "email": "amina@example.org", "message": "Buongiorno."}
    enquiry = enquiries.submit_enquiry(opportunity, data, "it")
    type(enquiry).objects.filter(pk=enquiry.pk).update(email="", message="")

    task_queue()

    assert mail.outbox == []


def test_only_the_latest_review_of_an_application_is_e_mailed(task_queue, partner):
    challenge = ChallengePageFactory(parent=partner, title="Sfida Beta")
    task_queue()
    DBTaskResult.objects.all().delete()
    application = applications.submit_application(
        challenge, application_data(), answers={}, uploads=[], language="it"
    )
    applications.change_status(application, ApplicationStatus.SHORTLISTED)
    applications.change_status(application, ApplicationStatus.SELECTED)

    assert mail.outbox == []
    assert queued() == ["partners.applications.send_application_email"] * 3
    task_queue()

    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        f"Candidatura ricevuta: Sfida Beta ({application.reference})",
        f"La tua candidatura {application.reference}: Selezionata",
    ]
    assert all(message.to == ["anna@example.org"] for message in mail.outbox)


def test_a_withdrawal_is_e_mailed_by_the_worker_once(task_queue, partner):
    challenge = ChallengePageFactory(parent=partner, title="Sfida Gamma")
    task_queue()
    DBTaskResult.objects.all().delete()
    application = applications.submit_application(
        challenge, application_data(), answers={}, uploads=[], language="it"
    )
    applications.withdraw(application)
    stale = type(application).objects.get(pk=application.pk)
    stale.status = ApplicationStatus.RECEIVED  # a second request read it before
    with pytest.raises(applications.ApplicationClosed):
        applications.withdraw(stale)

    assert mail.outbox == []
    assert queued() == ["partners.applications.send_application_email"] * 2
    task_queue()

    subjects = [message.subject for message in mail.outbox]
    assert subjects == [
        f"Candidatura ricevuta: Sfida Gamma ({application.reference})",
        f"Candidatura ritirata: Sfida Gamma ({application.reference})",
    ]
    assert "hr@beta.example" in mail.outbox[1].body
