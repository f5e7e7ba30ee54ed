import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand

from agencies.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = (
        "Load the demo CoCs XX-500 and XX-501 with agencies, projects and people, then each "
        "app's own demo data (an app's demo.py with a load(stdout) function). Idempotent."
    )

    def handle(self, *args, **options):
        created = load_demo()
        summary = ", ".join(f"{count} {what}" for what, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo CoCs loaded (new: {summary})."))
        for config in apps.get_app_configs():
            if config.name == "agencies":
                continue
            module_name = f"{config.name}.demo"
            if importlib.util.find_spec(module_name) is None:
                continue
            loader = getattr(importlib.import_module(module_name), "load", None)
            if callable(loader):
                loader(self.stdout)
        self.stdout.write(f"Demo users (password {DEMO_PASSWORD}): {', '.join(DEMO_USERS)}")
