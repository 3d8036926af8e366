import pytest

pytestmark = pytest.mark.django_db


def test_privacy_notice_covers_appointments_classes_and_the_survey(client):
    response = client.get("/privacy/")

    assert response.status_code == 200
    page = response.content.decode()
    for heading in ("Appointments", "Classes", "The survey"):
        assert f"<h2>{heading}</h2>" in page
    assert "private link to your appointment" in page
    assert "the survey does not ask your name" in page


def test_privacy_notice_in_spanish(client):
    response = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="es")

    page = response.content.decode()
    for heading in ("Citas", "Clases", "La encuesta"):
        assert f"<h2>{heading}</h2>" in page
    assert "lista de espera" in page
    assert "la encuesta no le pide su nombre" in page
