"""Every audit verb the code writes has a readable Spanish name in the audit viewer (VERB_LABELS).

The verbs are read from the source of apps/ (no database): the `verb=` given to audit_event_record /
audit_events_record, and the verb handed to helpers that pass their `verb` parameter on to them
(`_save(..., "hr_contract_changed")`, `record(verb="claim_open", ...)`), literals or `a if c else b`.
Services may register their labels at import (VERB_LABELS.setdefault): every module of apps/ is imported first,
as a web process, a Celery worker and the socket server between them do.
"""
import ast
import importlib
from pathlib import Path

from apps.audit.choices import VERB_LABELS

APPS = Path(__file__).resolve().parents[2] / "apps"
SINKS = {"audit_event_record", "audit_events_record"}


def _name(func) -> str | None:
    return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None


def _literals(node) -> tuple[set, set]:
    """(string literals, f-string prefixes) a verb expression can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}, set()
    if isinstance(node, ast.IfExp):
        (a, pa), (b, pb) = _literals(node.body), _literals(node.orelse)
        return a | b, pa | pb
    if isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
        return set(), {node.values[0].value}
    return set(), set()


def _verb_index(func) -> int | None:
    names = [a.arg for a in func.args.posonlyargs + func.args.args]
    return names.index("verb") if "verb" in names else None


def _passes_verb_on(func, emitters: dict) -> bool:
    """Whether `func` hands its own `verb` parameter to a sink or to another emitter."""
    for call in (n for n in ast.walk(func) if isinstance(n, ast.Call)):
        name = _name(call.func)
        if name not in SINKS and name not in emitters:
            continue
        if any(k.arg == "verb" and isinstance(k.value, ast.Name) and k.value.id == "verb" for k in call.keywords):
            return True
        index = emitters.get(name)
        if index is not None and len(call.args) > index and getattr(call.args[index], "id", None) == "verb":
            return True
    return False


def _import_all() -> None:
    for path in sorted(APPS.rglob("*.py")):
        parts = path.relative_to(APPS.parent).with_suffix("").parts
        if "migrations" in parts or "management" in parts:
            continue
        importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))


def emitted_verbs() -> tuple[dict, set]:
    modules = {p: ast.parse(p.read_text(encoding="utf-8")) for p in APPS.rglob("*.py") if "migrations" not in p.parts}
    funcs = [(p, f) for p, tree in modules.items() for f in ast.walk(tree)
             if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))
             and ("verb" in [a.arg for a in f.args.posonlyargs + f.args.args + f.args.kwonlyargs])]
    emitters: dict[tuple, int | None] = {}
    changed = True
    while changed:  # helpers that call helpers that call the sink
        changed = False
        by_name = {name: index for (_p, name), index in emitters.items()}
        for path, func in funcs:
            if (path, func.name) not in emitters and _passes_verb_on(func, by_name):
                emitters[(path, func.name)] = _verb_index(func)
                changed = True
    names = {name for _p, name in emitters} | SINKS
    local = {}  # per module: its emitters; another function of the same name there is not one
    for path, tree in modules.items():
        local[path] = {f.name: emitters.get((path, f.name), "no") for f in tree.body
                       if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))}
    verbs, prefixes = {}, set()
    by_name = {name: index for (_p, name), index in emitters.items()}
    for path, tree in modules.items():
        for func in (f for f in ast.walk(tree) if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef))):
            if not _passes_verb_on(func, by_name):
                continue
            for node in ast.walk(func):  # verb = "a" if ... else "b"; sink(verb=verb)
                if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "verb" for t in node.targets):
                    found, heads = _literals(node.value)
                    prefixes |= heads
                    for verb in found - {""}:
                        verbs.setdefault(verb, f"{path.relative_to(APPS.parent)}:{node.lineno}")
        for call in (n for n in ast.walk(tree) if isinstance(n, ast.Call)):
            name = _name(call.func)
            if name not in names:
                continue
            exprs = [k.value for k in call.keywords if k.arg == "verb"]
            index = local[path].get(name)
            if name not in local[path]:  # imported: the emitters of that name agree on where the verb goes
                candidates = {i for (_p, n), i in emitters.items() if n == name}
                index = candidates.pop() if len(candidates) == 1 else None
            elif index == "no":
                index = None
            if index is not None and len(call.args) > index:
                exprs.append(call.args[index])
            for expr in exprs:
                found, heads = _literals(expr)
                prefixes |= heads
                for verb in found - {""}:
                    verbs.setdefault(verb, f"{path.relative_to(APPS.parent)}:{call.lineno}")
    return verbs, prefixes


def test_the_scan_finds_the_verbs_of_helpers_and_of_the_sink():
    verbs, prefixes = emitted_verbs()
    # direct, through a keyword helper, through a positional helper, and a conditional one
    assert {"job_cancel", "claim_open", "hr_contract_changed", "document_template_reset"} <= set(verbs)
    assert "state_" in prefixes  # accounting periods: f"state_{state}"


def test_every_emitted_verb_has_a_spanish_label():
    _import_all()
    verbs, prefixes = emitted_verbs()
    missing = {verb: where for verb, where in verbs.items() if verb not in VERB_LABELS}
    assert not missing, f"Verbos de auditoría sin nombre en apps/audit/choices.py VERB_LABELS: {missing}"
    for head in prefixes:
        assert any(label.startswith(head) for label in VERB_LABELS), head


def test_labels_are_spanish_text_not_the_code():
    _import_all()
    for verb, label in VERB_LABELS.items():
        text = str(label)
        assert text and text != verb and "_" not in text, verb
