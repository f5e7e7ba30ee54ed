"""Celery tasks of the hmis app: thin wrappers around runners that record their run."""

from celery import shared_task

from hmis.importer.runner import run_import


@shared_task(name="hmis.run_import")
def run_import_task(run_id: int) -> str:
    return run_import(run_id).status
