"""Anomalies in the journal (apps.accounting): each posted entry gets a 0-1 score from
- robust z-scores of its amounts per account (median and MAD of that account's lines),
- unusual account pairs (a debit and a credit account seldom seen together in the same entry),
- posting at night (22:00-07:00, Europe/Madrid) or on a weekend,
combined with an IsolationForest (scikit-learn) over those features; the reasons list the rules that fired."""
import math
from collections import Counter, defaultdict
from zoneinfo import ZoneInfo

import numpy as np
from django.db import transaction
from django.utils.translation import gettext as _

from apps.core.money import format_eur
from apps.predictive.choices import ModelKind
from apps.predictive.errors import EngineInputError
from apps.predictive.services.versions import model_version_create, scores_store

MIN_ENTRIES = 30
Z_LIMIT = 3.5  # the usual robust z cut-off (Iglewicz and Hoaglin)
RARE_PAIR = 0.01  # a pair seen in fewer than 1 % of the entries of its debit account
MADRID = ZoneInfo("Europe/Madrid")
FEATURES = ["max_robust_z", "rare_pair", "night", "weekend", "log_amount"]


def _account_stats(lines) -> dict:
    """account -> (median, MAD scaled to σ) of the line amounts."""
    amounts = defaultdict(list)
    for line in lines:
        amounts[line["account_id"]].append(float(line["debit"] or line["credit"]))
    stats = {}
    for account, values in amounts.items():
        data = np.asarray(values)
        median = float(np.median(data))
        mad = float(np.median(np.abs(data - median))) * 1.4826
        stats[account] = (median, mad if mad > 0 else max(abs(median) * 0.05, 0.01), len(values))
    return stats


def _pairs(entry_lines) -> set:
    debits = {line["account_id"] for line in entry_lines if line["debit"]}
    credits = {line["account_id"] for line in entry_lines if line["credit"]}
    return {(d, c) for d in debits for c in credits}


def entry_features(entries: list[dict], lines: list[dict]) -> tuple[np.ndarray, list[list[str]]]:
    """Features and rule reasons per entry (dicts of id, total, posted_at, date; lines of entry_id, account_id,
    account code, debit, credit)."""
    stats = _account_stats(lines)
    by_entry = defaultdict(list)
    for line in lines:
        by_entry[line["entry_id"]].append(line)
    pair_counts, debit_counts = Counter(), Counter()
    for entry_lines in by_entry.values():
        for debit, credit in _pairs(entry_lines):
            pair_counts[(debit, credit)] += 1
            debit_counts[debit] += 1
    rows, reasons = [], []
    for entry in entries:
        entry_lines = by_entry.get(entry["id"], [])
        why = []
        z_max, z_line = 0.0, None
        for line in entry_lines:
            median, scale, n = stats[line["account_id"]]
            if n < 5:
                continue
            z = abs(float(line["debit"] or line["credit"]) - median) / scale
            if z > z_max:
                z_max, z_line = z, line
        if z_max > Z_LIMIT and z_line is not None:
            why.append(_("Importe atípico en la cuenta %(account)s: %(amount)s (z robusto %(z)s)") % {
                "account": z_line["account__code"], "amount": format_eur(z_line["debit"] or z_line["credit"]),
                "z": f"{min(z_max, 999):.1f}".replace(".", ",")})
        rare = 0.0
        for debit, credit in _pairs(entry_lines):
            share = pair_counts[(debit, credit)] / max(debit_counts[debit], 1)
            if share < RARE_PAIR or pair_counts[(debit, credit)] == 1:
                rare = 1.0
                codes = {line["account_id"]: line["account__code"] for line in entry_lines}
                why.append(_("Pareja de cuentas poco habitual: %(d)s / %(c)s")
                           % {"d": codes[debit], "c": codes[credit]})
                break
        night = weekend = 0.0
        if entry.get("posted_at"):
            local = entry["posted_at"].astimezone(MADRID)
            if local.hour >= 22 or local.hour < 7:
                night = 1.0
                why.append(_("Contabilizado de noche (%(t)s)") % {"t": local.strftime("%H:%M")})
            if local.weekday() >= 5:
                weekend = 1.0
                why.append(_("Contabilizado en fin de semana (%(d)s)") % {"d": local.strftime("%d/%m/%Y")})
        rows.append([min(z_max, 50.0), rare, night, weekend, math.log1p(abs(float(entry["total"] or 0)))])
        reasons.append(why)
    return np.asarray(rows, dtype=float).reshape(len(rows), len(FEATURES)), reasons


def anomaly_scores(X: np.ndarray, reasons: list[list[str]]) -> tuple[np.ndarray, object]:
    """0-1 score: the IsolationForest's outlyingness (ranked) blended with the number of rules fired."""
    from sklearn.ensemble import IsolationForest

    forest = IsolationForest(n_estimators=200, contamination="auto", random_state=0).fit(X)
    raw = -forest.score_samples(X)  # higher = more isolated
    span = raw.max() - raw.min()
    forest_part = (raw - raw.min()) / span if span > 0 else np.zeros(len(raw))
    rules_part = np.asarray([min(len(why), 3) / 3 for why in reasons])
    return 0.5 * forest_part + 0.5 * rules_part, forest


def _load(date_from=None, date_to=None):
    from apps.accounting.models import Entry, EntryLine

    entries = Entry.objects.filter(state="posted")
    if date_from:
        entries = entries.filter(date__gte=date_from)
    if date_to:
        entries = entries.filter(date__lte=date_to)
    entry_rows = list(entries.order_by("date", "pk").values("id", "total", "posted_at", "date", "number",
                                                             "fiscal_year__name"))
    lines = list(EntryLine.objects.filter(entry__in=entries).values("entry_id", "account_id", "account__code",
                                                                      "debit", "credit"))
    return entry_rows, lines


@transaction.atomic
def anomalies_detect(*, actor, date_from=None, date_to=None, progress=None):
    """Scores the posted entries (of the range) and stores the version and its scores."""
    from apps.accounting.models import Entry

    progress = progress or (lambda *a, **k: None)
    progress(5, _("Leyendo los asientos…"))
    entries, lines = _load(date_from, date_to)
    if not entries:
        raise EngineInputError(_("No hay asientos contabilizados en el intervalo de fechas elegido."))
    if len(entries) < MIN_ENTRIES:
        raise EngineInputError(_("Hay %(n)s asientos contabilizados: se necesitan al menos %(min)s para saber qué "
                                 "es habitual.") % {"n": len(entries), "min": MIN_ENTRIES})
    progress(40, _("Calculando indicadores…"))
    X, reasons = entry_features(entries, lines)
    progress(60, _("Aislando los asientos atípicos…"))
    scores, forest = anomaly_scores(X, reasons)
    flagged = int(sum(1 for s in scores if s >= 0.5))
    version = model_version_create(
        actor=actor, kind=ModelKind.ANOMALY, algorithm="IsolationForest + reglas (z robusto, parejas, horario)",
        metrics={"entries": len(entries), "flagged": flagged, "rules_fired": int(sum(1 for r in reasons if r))},
        features=FEATURES, params={"z_limit": Z_LIMIT, "rare_pair": RARE_PAIR,
                                   "date_from": str(date_from or ""), "date_to": str(date_to or "")},
        fitted=forest, training_rows=len(entries))
    objects = Entry.objects.in_bulk([e["id"] for e in entries])
    scored = [(objects[e["id"]], s, why, f"{e['fiscal_year__name']}/{e['number']}")
              for e, s, why in zip(entries, scores, reasons)]
    progress(85, _("Guardando las puntuaciones…"))
    scores_store(actor=actor, version=version, scored=scored)
    return version
