"""The API at /api/v1/: one router per area, each in its own package (api/<area>/endpoints.py,
with its schemas beside it); what the areas share is in api/common."""

from ninja import NinjaAPI

from jobhelp.api.classes.endpoints import router as classes
from jobhelp.api.classes_staff.endpoints import router as classes_staff
from jobhelp.api.common.auth import StaffToken
from jobhelp.api.common.errors import add_exception_handlers
from jobhelp.api.crosstraining.endpoints import router as crosstraining
from jobhelp.api.directory.endpoints import router as directory
from jobhelp.api.materials.endpoints import router as materials
from jobhelp.api.partnerships.endpoints import router as partnerships
from jobhelp.api.privacy.endpoints import router as privacy
from jobhelp.api.referrals.endpoints import router as referrals
from jobhelp.api.reports.endpoints import router as reports
from jobhelp.api.requests.endpoints import router as requests
from jobhelp.api.scheduling.endpoints import router as scheduling
from jobhelp.api.triage.endpoints import router as triage


class JobhelpAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation) -> str:
        # jobhelp_api_<area>_<function>, as when each area was one module: programs generated
        # from the OpenAPI document name their calls by these.
        module = operation.view_func.__module__.removesuffix(".endpoints")
        return f"{module}_{operation.view_func.__name__}".replace(".", "_")


api = JobhelpAPI(
    title="jobhelp API",
    version="1",
    description="Help requests of the organizations the token's owner works for, and their "
    "appointments.",
    auth=StaffToken(),
    urls_namespace="api-v1",
    docs_url=None,
)
api.add_router("", requests)
api.add_router("", triage)
api.add_router("", scheduling)
api.add_router("", classes)
api.add_router("", classes_staff)
api.add_router("", reports)
api.add_router("", partnerships)
api.add_router("", referrals)
api.add_router("", crosstraining)
api.add_router("", materials)
api.add_router("", directory)
api.add_router("", privacy)
add_exception_handlers(api)
