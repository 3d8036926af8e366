"""Training records as xAPI 1.0.3 statements (actor, verb, object, result, timestamp), for
partners whose learning record store wants them. The actor is identified by an account on this
installation (no email address leaves); each statement's id is derived from the record, so an
export sent twice is stored once."""

import uuid
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone

from jobhelp.crosstraining.models import TrainingRecord

ATTENDED = {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}}
COMPLETED = {"id": "http://adlnet.gov/expapi/verbs/completed", "display": {"en-US": "completed"}}
COURSE = "http://adlnet.gov/expapi/activities/course"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "jobhelp.crosstraining.records")


def _base() -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/")


def _activity_id(record: TrainingRecord) -> str:
    if record.training_id:
        return f"{_base()}/xapi/activities/training/{record.training_id}"
    return f"{_base()}/xapi/activities/record/{record.pk}"


def statement(record: TrainingRecord) -> dict:
    name = {"en-US": record.title}
    if record.title_es:
        name["es"] = record.title_es
    if record.training_id:
        moment = record.training.starts_at
    else:
        moment = datetime.combine(record.completed_on, time(12), tzinfo=timezone.UTC)
    return {
        "id": str(uuid.uuid5(_NAMESPACE, str(record.pk))),
        "actor": {
            "objectType": "Agent",
            "name": str(record.person),
            "account": {"homePage": _base(), "name": str(record.person_id)},
        },
        "verb": ATTENDED if record.training_id else COMPLETED,
        "object": {
            "objectType": "Activity",
            "id": _activity_id(record),
            "definition": {"name": name, "type": COURSE},
        },
        "result": {"completion": True, "success": True},
        "timestamp": moment.astimezone(timezone.UTC).isoformat().replace("+00:00", "Z"),
    }


def statements(records) -> list[dict]:
    return [statement(r) for r in records.select_related("person", "training")]
