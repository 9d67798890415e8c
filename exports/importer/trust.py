"""Whether a file's signer may send it (issue 20): the last step of a plan, reads only.

The file's canonical form is checked against its own signature (exports.signing); then the key
is judged by who this office is and what the file is, never by `source`:

- at a region, a center file (catalog, review) only under the ministry key the region trusts; the
  first one waits for a person to confirm its fingerprint (`trust=`, the wizard's step);
- at the center, a return only under the key trusted for its `region`: the first signed return
  of a region makes its key trusted (recorded when applied); another key waits for a person to
  re-trust it; a key trusted for another region is refused; an unsigned or altered return waits
  for a person to accept it (`accept_unsigned`, the wizard's tick) and is marked so;
- the center's own catalog comes back edited (unsigned): accepted by a person, like a return;
- a region's own return comes back filled by its departments: taken as always.

A refusal a person may lift is a `TrustRefused` naming what lifts it; `lift` (called by
apply_import and the batch) takes it away only when the person gave exactly that.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from python_calamine import CalamineWorkbook

from db import keys
from db.audit import Change, OpInfo, begin_operation, record
from db.errors import PlanMonitorError
from exports.importer.kinds import CENTER_KINDS
from exports.importer.plan import ImportPlan, PlanContext
from exports.signing import Verdict, read_canonical, verify_canonical
from exports.xlsx_common import META_SHEET
from resources.words import tr

LIFT_TRUST, LIFT_UNSIGNED = "trust", "accept_unsigned"


class TrustRefused(PlanMonitorError):
    """The file is not (yet) trusted. `lift`: what a person may give to take it anyway
    (`trust` with this fingerprint, or `accept_unsigned`), or None: never."""

    def __init__(self, key: str, lift: str | None = None, **params: Any) -> None:
        super().__init__(key, **params)
        self.lift = lift


@dataclass
class Signature:
    """What the plan found about its file's signer. `verdict`:
    `trusted` (the key trusted for this sender), `own` (this workbook's own key), `round_trip`
    (a region's own return: not checked), `first_return` (a region's first signed return: its
    key will be trusted), `needs_trust` (the ministry's first file: a person confirms it),
    `other_key`, `other_region`, `unsigned`, `altered`, `not_ministry`."""

    state: str
    fingerprint: str = ""
    public_key: str = ""
    detail: str = ""
    verdict: str = ""
    scope: str | None = None  # whose key it must be: `center` or a region code
    trusted_fingerprint: str | None = None
    key_region: str | None = None
    accepted: list[str] = field(default_factory=list)  # what a person gave: trust, unsigned

    @property
    def will_trust(self) -> bool:
        """Applying the plan records this key as trusted for `scope`."""
        return self.verdict == "first_return" or (LIFT_TRUST in self.accepted)

    @property
    def unsigned_accepted(self) -> bool:
        return LIFT_UNSIGNED in self.accepted

    def describe(self, lang: str | None = None) -> str:
        """One line for the preview, in words ('' when there is nothing to say)."""
        if self.unsigned_accepted:
            return tr("sig.preview.unsigned_accepted", lang)
        if LIFT_TRUST in self.accepted:
            return tr("sig.preview.confirmed", lang, fingerprint=self.fingerprint)
        # (this workbook's own files and a region's own returns: nothing worth saying)
        key = {"trusted": "sig.preview.trusted_center" if self.scope == keys.CENTER_SCOPE
               else "sig.preview.trusted_region",
               "first_return": "sig.preview.first_return"}.get(self.verdict)
        return tr(key, lang, fingerprint=self.fingerprint, region=self.scope or "") if key else ""

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state, "verdict": self.verdict, "fingerprint": self.fingerprint,
                "public_key": self.public_key, "detail": self.detail, "scope": self.scope,
                "trusted_fingerprint": self.trusted_fingerprint, "key_region": self.key_region,
                "accepted": list(self.accepted)}


def file_verdict(ctx: PlanContext) -> Verdict:
    """The file's signature checked against its canonical form (the sheets the plan read)."""
    book = CalamineWorkbook.from_path(str(ctx.plan.path))
    meta_rows = book.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
    canonical = read_canonical(meta_rows, ctx.sheet_titles, ctx.read_rows)
    return verify_canonical(ctx.plan.meta, canonical)


def judge_trust(ctx: PlanContext) -> None:
    """Set `plan.signature`, and `plan.refused` when the signer may not send this file."""
    plan, conn, office = ctx.plan, ctx.conn, ctx.office
    verdict = file_verdict(ctx)
    sig = Signature(verdict.state, verdict.fingerprint, verdict.public_key, verdict.detail)
    plan.signature = sig
    own_key = keys.office_public_key(conn)
    own = verdict.state == "signed" and verdict.public_key == own_key
    if own:
        sig.verdict = "own"
    elif not office.is_center:
        if plan.kind in CENTER_KINDS:
            _judge_center_file(conn, plan, sig)
        else:
            sig.verdict = "round_trip"
    elif plan.kind == "return":
        _judge_return(conn, plan, sig)
    elif plan.kind == "catalog":
        _judge_own_catalog(plan, sig)


def _judge_center_file(conn: sqlite3.Connection, plan: ImportPlan, sig: Signature) -> None:
    sig.scope = keys.CENTER_SCOPE
    trusted = keys.trusted_key(conn, keys.CENTER_SCOPE)
    sig.trusted_fingerprint = trusted.fingerprint if trusted else None
    file = plan.file_name
    if sig.state != "signed":
        sig.verdict = sig.state
        key = "sig.center_altered" if sig.state == "altered" else "sig.center_unsigned"
        plan.refused = TrustRefused(key, file=file)
    elif trusted is None:
        sig.verdict = "needs_trust"
        plan.refused = TrustRefused("sig.center_first", LIFT_TRUST, file=file,
                                    fingerprint=sig.fingerprint)
    elif trusted.public_key == sig.public_key:
        sig.verdict = "trusted"
    else:
        sig.verdict = "not_ministry"
        plan.refused = TrustRefused("sig.center_other_key", LIFT_TRUST, file=file,
                                    fingerprint=sig.fingerprint)


def _judge_return(conn: sqlite3.Connection, plan: ImportPlan, sig: Signature) -> None:
    region, file = plan.region or "", plan.file_name
    sig.scope = region
    trusted = keys.trusted_key(conn, region)
    sig.trusted_fingerprint = trusted.fingerprint if trusted else None
    if sig.state != "signed":
        sig.verdict = sig.state
        key = "sig.return_altered" if sig.state == "altered" else "sig.return_unsigned"
        plan.refused = TrustRefused(key, LIFT_UNSIGNED, file=file, region=region)
        return
    sig.key_region = keys.scope_of_key(conn, sig.public_key)
    if sig.key_region is not None and sig.key_region != region:
        sig.verdict = "other_region"
        plan.refused = TrustRefused("sig.return_other_region", file=file, region=region,
                                    key_region=sig.key_region)
    elif trusted is None:
        sig.verdict = "first_return"
    elif trusted.public_key == sig.public_key:
        sig.verdict = "trusted"
    else:
        sig.verdict = "other_key"
        plan.refused = TrustRefused("sig.return_other_key", LIFT_TRUST, file=file,
                                    region=region, fingerprint=sig.fingerprint,
                                    trusted=trusted.fingerprint)


def _judge_own_catalog(plan: ImportPlan, sig: Signature) -> None:
    """At the center a catalog is its own, edited: signed by another key is not ours at all."""
    sig.scope = keys.CENTER_SCOPE
    if sig.state == "signed":
        sig.verdict = "not_ministry"
        plan.refused = TrustRefused("sig.catalog_other_center", file=plan.file_name)
    else:
        sig.verdict = sig.state
        plan.refused = TrustRefused("sig.catalog_edited", LIFT_UNSIGNED, file=plan.file_name)


def lift(plan: ImportPlan, trust: str | None = None, accept_unsigned: bool = False) -> None:
    """Take away a trust refusal that the person lifted: `trust` equal to the signer's
    fingerprint (spaces and case aside), or `accept_unsigned` for an unsigned or altered file.
    Anything else leaves the refusal as it is."""
    refused, sig = plan.refused, plan.signature
    if not isinstance(refused, TrustRefused) or sig is None:
        return
    if refused.lift == LIFT_TRUST and trust and keys.same_fingerprint(trust, sig.fingerprint):
        sig.accepted.append(LIFT_TRUST)
        plan.refused = None
    elif refused.lift == LIFT_UNSIGNED and accept_unsigned:
        sig.accepted.append(LIFT_UNSIGNED)
        plan.refused = None


def record_trust(conn: sqlite3.Connection, plan: ImportPlan, user: str) -> bool:
    """Inside the import's transaction: a key newly trusted, audited. Returns whether one was."""
    sig = plan.signature
    if sig is None or sig.scope is None or not sig.will_trust or sig.state != "signed":
        return False
    how = "first_return" if sig.verdict == "first_return" else "confirmed"
    keys.trust_key(conn, sig.scope, sig.public_key, how, _info(plan, user))
    return True


def record_unsigned(conn: sqlite3.Connection, plan: ImportPlan, user: str) -> None:
    """Inside the import's transaction, when an unsigned file a person accepted changed
    something: audited with the technical detail (the person's screens never show it); the
    exchange log's `signature` column marks it for the center's matrix."""
    sig = plan.signature
    if sig is not None and sig.unsigned_accepted:
        op_id = begin_operation(conn, _info(plan, user))
        record(conn, op_id, [Change("exchange_file", (plan.file_name,), "signature", None,
                                    f"{sig.state} accepted: {sig.detail}")])


def _info(plan: ImportPlan, user: str) -> OpInfo:
    scope = plan.signature.scope if plan.signature is not None else ""
    return OpInfo(user=user, source="import", file_name=plan.file_name,
                  file_sha256=plan.sha256, description=f"signature {plan.kind} {scope}")
