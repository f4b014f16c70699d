from importlib import import_module
from importlib.util import find_spec

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from home.demo import DemoContext, bulk_load, ensure_admin


class Command(BaseCommand):
    help = (
        "Build a believable demo site for the Adda Martesana: pages in Italian and "
        "English, and each app's demo content. Safe to run twice."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help="Multiply the generated content (courses, sessions...) for benchmarks.",
        )
        parser.add_argument(
            "--no-users", action="store_true", help="Do not create the demo login accounts."
        )

    def handle(self, *args, scale, no_users, **options):
        if scale < 1 or scale > 200:
            raise CommandError("--scale must be between 1 and 200.")
        context = DemoContext(scale=scale, stdout=self.stdout)
        with bulk_load():
            for app_config in apps.get_app_configs():
                module_name = f"{app_config.name}.demo"
                if find_spec(app_config.name) and find_spec(module_name):
                    import_module(module_name).load(context)
            if not no_users:
                ensure_admin(context)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        for role, username, password in context.logins:
            self.stdout.write(f"  {role}: log in at /admin/ as {username} / {password}")
