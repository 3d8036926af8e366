def test_operation_ids_name_the_area_and_function_as_before_the_areas_were_packages(client, db):
    """Programs generated from the OpenAPI document name their calls by these ids; moving an
    area's endpoints into api/<area>/endpoints.py must not rename them."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    assert sorted(op["operationId"] for path in paths.values() for op in path.values()) == [
        "jobhelp_api_classes_list_sessions",
        "jobhelp_api_classes_register",
        "jobhelp_api_classes_staff_get_roster",
        "jobhelp_api_classes_staff_take_attendance",
        "jobhelp_api_reports_summary",
        "jobhelp_api_requests_create_request",
        "jobhelp_api_requests_get_request",
        "jobhelp_api_requests_list_requests",
        "jobhelp_api_scheduling_attended",
        "jobhelp_api_scheduling_book",
        "jobhelp_api_scheduling_cancel",
        "jobhelp_api_scheduling_get_appointment",
        "jobhelp_api_scheduling_get_helper_availability",
        "jobhelp_api_scheduling_list_appointment_types",
        "jobhelp_api_scheduling_list_slots",
        "jobhelp_api_scheduling_no_show",
        "jobhelp_api_scheduling_reschedule",
        "jobhelp_api_triage_assign",
        "jobhelp_api_triage_claim",
        "jobhelp_api_triage_list_contact_attempts",
        "jobhelp_api_triage_log_contact",
        "jobhelp_api_triage_queue",
        "jobhelp_api_triage_transition",
    ]
