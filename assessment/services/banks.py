"""Installed question banks: the bundled ones and those uploaded, kept in the database."""

from __future__ import annotations

from sqlalchemy import select

from ..domain.bank import Bank, BankRegistry, bundled_bank_paths, latest_versions, parse_bank_text
from ..domain.errors import BankError
from ..extensions import db
from ..models import StoredBank


def sync_bundled_banks() -> list[StoredBank]:
    """Store every bundled bank not yet in the database (and check the bundled mappings
    between their versions); return the new rows."""
    added = []
    for path in bundled_bank_paths():
        text = path.read_text("utf-8")
        bank = parse_bank_text(text, str(path))
        exists = db.session.scalar(
            select(StoredBank.id).where(
                StoredBank.bank_id == bank.id, StoredBank.version == bank.version
            )
        )
        if exists is None:
            row = StoredBank(
                bank_id=bank.id,
                version=bank.version,
                title=bank.title.en,
                origin="bundled",
                content=text,
            )
            db.session.add(row)
            added.append(row)
    db.session.flush()
    from ..domain.mapping import bundled_mappings

    bundled_mappings()  # the mappings between bundled versions are checked with the banks
    return added


def install_bank(
    content: str | bytes, source: str, organisation_id: int | None = None, origin: str = "uploaded"
) -> Bank:
    """Validate and store an uploaded bank; a second copy of the same id and version is refused."""
    bank = parse_bank_text(content, source)
    exists = db.session.scalar(
        select(StoredBank.id).where(
            StoredBank.bank_id == bank.id, StoredBank.version == bank.version
        )
    )
    if exists is not None:
        raise BankError("bank.exists", source, id=bank.id, version=bank.version)
    text = content.decode("utf-8") if isinstance(content, bytes) else content
    _PARSED.pop((bank.id, bank.version), None)
    db.session.add(
        StoredBank(
            bank_id=bank.id,
            version=bank.version,
            title=bank.title.en[:300],
            origin=origin,
            organisation_id=organisation_id,
            content=text,
        )
    )
    db.session.flush()
    return bank


#: Parsed banks by (bank id, version). A stored bank is never changed or deleted (a new version
#: is a new row), so once parsed it stays valid; installing a bank here drops its entry.
_PARSED: dict[tuple[str, str], tuple[int, Bank]] = {}


def _parsed(row_id: int, bank_id: str, version: str) -> Bank:
    """The parsed bank of a stored row, read and parsed once per process."""
    cached = _PARSED.get((bank_id, version))
    if cached is None or cached[0] != row_id:
        content = db.session.scalar(select(StoredBank.content).where(StoredBank.id == row_id))
        cached = _PARSED[(bank_id, version)] = (
            row_id,
            parse_bank_text(content, f"{bank_id}@{version}"),
        )
    return cached[1]


def get_bank(bank_id: str, version: str) -> Bank | None:
    """The installed bank with this id and version; no query once this process has parsed it."""
    cached = _PARSED.get((bank_id, version))
    if cached is not None:
        return cached[1]
    row_id = db.session.scalar(
        select(StoredBank.id).where(StoredBank.bank_id == bank_id, StoredBank.version == version)
    )
    return None if row_id is None else _parsed(row_id, bank_id, version)


def bank_owner(bank_id: str, version: str) -> tuple[bool, int | None]:
    """Whether this bank version is installed, and the one organisation it was given to (None:
    every organisation's)."""
    row = db.session.execute(
        select(StoredBank.id, StoredBank.organisation_id).where(
            StoredBank.bank_id == bank_id, StoredBank.version == version
        )
    ).first()
    return (False, None) if row is None else (True, row.organisation_id)


def installed_banks(organisation_id: int | None = None) -> list[tuple[Bank, str]]:
    """(bank, origin) of every installed bank usable by an organisation (all when None)."""
    query = select(
        StoredBank.id,
        StoredBank.bank_id,
        StoredBank.version,
        StoredBank.origin,
        StoredBank.organisation_id,
    ).order_by(StoredBank.bank_id, StoredBank.version)
    out = []
    for row in db.session.execute(query):
        if organisation_id is not None and row.organisation_id not in (None, organisation_id):
            continue
        out.append((_parsed(row.id, row.bank_id, row.version), row.origin))
    out.sort(key=lambda item: (item[0].id, item[0].version_key))  # 2.0.0 before 10.0.0
    return out


def default_bank(banks: list[tuple[Bank, str]]) -> Bank | None:
    """The bank a new assessment starts from: the latest installed (semantic) version of the
    bundled bank id, or of the first bank id when none is bundled. Existing assessments keep
    the version they were made with."""
    if not banks:
        return None
    bundled = [bank.id for bank, origin in banks if origin == "bundled"]
    bank_id = bundled[0] if bundled else banks[0][0].id
    return latest_versions(bank for bank, _origin in banks)[bank_id]


def bank_owners() -> dict[tuple[str, str], int]:
    """(bank id, version) → organisation id, for the banks given to one organisation only."""
    rows = db.session.execute(
        select(StoredBank.bank_id, StoredBank.version, StoredBank.organisation_id).where(
            StoredBank.organisation_id.is_not(None)
        )
    )
    return {(r.bank_id, r.version): r.organisation_id for r in rows}


def registry(organisation_id: int | None = None) -> BankRegistry:
    """Installed banks (those an organisation may use, when given), for parsing answers files."""
    return BankRegistry(bank for bank, _ in installed_banks(organisation_id))
