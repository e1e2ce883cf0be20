from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from factories.catalog_import import ImportFileError, catalog_import, catalog_preview
from factories.catalog_import.readers import MAX_FILE_BYTES
from factories.models import Factory
from marketplace.core.errors import NotAllowed


class Command(BaseCommand):
    help = (
        "Import a factory's catalog from a CSV or XLSX file (the web template's columns); rows go to review."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--factory", type=int, required=True, help="Factory id; its owner is the actor.")
        parser.add_argument("--dry-run", action="store_true", help="Check every row, import nothing.")
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(
        self,
        *args: Any,
        file: Path,
        factory: int,
        dry_run: bool = False,
        batch_size: int = 500,
        **options: Any,
    ) -> None:
        target = Factory.objects.select_related("owner").filter(pk=factory).first()
        if target is None:
            raise CommandError(f"No factory with id {factory}.")
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if file.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"{file} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        out = self.stderr._out
        try:
            with tqdm(desc="check", unit="row", file=out) as bar:
                preview = catalog_preview(
                    content=file.read_bytes(), factory=target, actor=target.owner, progress=bar.update
                )
        except (ImportFileError, NotAllowed) as exc:
            raise CommandError(str(exc.message)) from exc
        for row in preview.invalid:
            for error in row.errors:
                self.stdout.write(f"row {row.number}: {error}")
        valid = len(preview.valid)
        if dry_run:
            self.stdout.write(f"{valid} rows valid, {len(preview.invalid)} with errors; nothing imported.")
            return
        with tqdm(total=valid, desc="import", unit="row", file=out) as bar:
            created = catalog_import(
                preview=preview, actor=target.owner, batch_size=batch_size, progress=bar.update
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {created} products into review; {len(preview.invalid)} rows had errors."
            )
        )
