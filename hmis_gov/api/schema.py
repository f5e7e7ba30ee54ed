"""OpenAPI post-processing: every operation documents the errors it can answer.

All errors share one shape (``hmis_gov.api.errors``); clients and schemathesis both rely on the
schema saying so: 400 (invalid values or filters), 401 (no or bad credentials), 403 (visible but
not allowed), 404 (not there, or outside the caller's scope), 429 (locked out), 503 (database or
broker unavailable); a DELETE also 409 (still in use). Times are local wall-clock times as DRF
writes them (``HH:MM[:ss[.ffffff]]``): JSON Schema's ``time`` format demands an offset, so they
are documented by a pattern instead.
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


# Only a DELETE can find the object still referred to (``hmis_gov.api.errors.in_use``).
DELETE_RESPONSES = {
    "409": "Other records still refer to this object; delete or change those first.",
}


def add_error_responses(result, generator, request, public):
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"] = ERROR_SCHEMA
    reference = {"$ref": "#/components/schemas/Error"}
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            errors = dict(ERROR_RESPONSES)
            if method == "delete":
                errors.update(DELETE_RESPONSES)
            for code, description in errors.items():
                operation["responses"].setdefault(
                    code,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": reference}},
                    },
                )
    return result


TIME_PATTERN = r"^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,6})?)?$"


def document_local_times(result, generator, request, public):
    """``format: time`` (RFC 3339 full-time, with an offset) becomes the pattern DRF writes."""

    def walk(node):
        if isinstance(node, dict):
            if node.get("type") == "string" and node.get("format") == "time":
                del node["format"]
                node["pattern"] = TIME_PATTERN
                node.setdefault("example", "02:00:00")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(result)
    return result
