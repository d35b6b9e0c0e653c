"""python manage.py import_file PATH --user EMAIL [--format NAME] [--dry-run]

Imports a file in one of ma cantine's national formats as that person would through the import page (same
permissions, same checks) and prints one JSON object; exit status 0 when accepted, 1 when refused.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.backends import find_user_by_email
from canteens.standard import schema
from canteens.standard.pipeline import EXTRA_FORMATS, run


class Command(BaseCommand):
    help = "Import a file in one of ma cantine's national formats (format detected from its header)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", required=True, help="e-mail address of the person importing")
        parser.add_argument("--format", dest="format_name", help="schema file name without .json")
        parser.add_argument("--dry-run", action="store_true", help="check and preview only, save nothing")

    def handle(self, path, user, format_name=None, dry_run=False, **options):
        account = find_user_by_email(user)
        if account is None or not account.is_active:
            raise CommandError(f"no active account with the e-mail address {user}")
        try:
            raw = Path(path).read_bytes()
        except OSError as error:
            raise CommandError(str(error)) from error
        known = (*schema.IMPORT_FORMATS, *EXTRA_FORMATS)
        if format_name is not None and format_name not in known:
            raise CommandError(f"unknown format {format_name!r}; one of: {', '.join(known)}")
        handler = EXTRA_FORMATS.get(format_name) if format_name else None
        if handler is None and format_name is None:
            for detect, extra_handler in EXTRA_FORMATS.values():
                if detect(raw):
                    handler = extra_handler
                    break
        elif handler is not None:
            handler = handler[1]
        if handler is not None:
            report = handler(raw, Path(path).name, account, dry_run)
        else:
            report = run(raw, Path(path).name, account, format_name=format_name, dry_run=dry_run)
        self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False, default=str))
        if not report.accepted:
            sys.exit(1)
