from django.core.management.base import BaseCommand

from agencies.demo import DEMO_PASSWORD, DEMO_USERS, load_demo


class Command(BaseCommand):
    help = "Load the demo CoCs XX-500 and XX-501 with agencies, projects and people (idempotent)."

    def handle(self, *args, **options):
        created = load_demo()
        summary = ", ".join(f"{count} {what}" for what, count in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo loaded (new: {summary})."))
        self.stdout.write(f"Demo users (password {DEMO_PASSWORD}): {', '.join(DEMO_USERS)}")
