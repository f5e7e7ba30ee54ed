"""OpenAPI post-processing: every operation documents the errors it can answer.

All errors share one shape (``hmis_gov.api.errors``); clients and schemathesis both rely on the
schema saying so: 400 (invalid values or filters), 401 (no or bad credentials), 403 (visible but
not allowed), 404 (not there, or outside the caller's scope), 429 (locked out), 503 (database or
broker unavailable).
"""

ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API has this shape.",
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status code."},
        "code": {"type": "string", "description": "A stable machine-readable code."},
        "detail": {"description": "What went wrong, for people."},
        "errors": {
            "type": "object",
            "description": "Validation problems by field (non_field_errors for the whole object).",
            "additionalProperties": True,
        },
    },
    "required": ["status", "detail"],
}

ERROR_RESPONSES = {
    "400": "The request has invalid values or filters; see errors.",
    "401": "No credentials, or bad ones.",
    "403": "The caller may see this but not do that.",
    "404": "Not found, or outside the caller's scope.",
    "429": "Too many failed log-ins: the account is locked for a while.",
    "503": "The database or the broker is unavailable; try again.",
}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            for code, description in ERROR_RESPONSES.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result
