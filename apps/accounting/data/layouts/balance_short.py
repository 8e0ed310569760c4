"""Balance sheets «PYMES» (PGC PYMES, RD 1515/2007 as amended by RD 602/2016) and «abreviado»
(PGC, RD 1514/2007, third part): the models deposited at the Registro Mercantil.

The account numbers beside each line are the PGC's own correspondence; the group-level
prefixes (``"4:D"``, ``"5:C"``, ``"1"``...) are catch-alls for accounts a brokerage adds outside
the official codes, so every balance lands somewhere and the balance always squares.
"""
from apps.accounting.data.layouts.base import Layout, section

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def _numbered(prefix: str, level: int, entries: list[tuple]) -> list[tuple]:
    """Numbers a block of lines I., II., ... (codes prefix.I, prefix.II, ...) and their 1., 2. children."""
    rows = []
    for index, entry in enumerate(entries):
        label, spec, key, *children = entry
        code = f"{prefix}.{ROMAN[index]}"
        rows.append((code, f"{ROMAN[index]}. {label}", level, spec, key))
        for number, (child_label, child_spec, child_key) in enumerate(children[0] if children else [], start=1):
            rows.append((f"{code}.{number}", f"{number}. {child_label}", level + 1, child_spec, child_key))
    return rows


def _assets(full: bool) -> list[tuple]:
    held_for_sale = [("Activos no corrientes mantenidos para la venta.", "58 580 581 582 583 584 (599)", "")]
    return [
        ("A", "A) ACTIVO NO CORRIENTE", 1, None, "non_current_assets"),
        *_numbered("A", 2, [
            ("Inmovilizado intangible.", "20 (280) (290)", ""),
            ("Inmovilizado material.", "21 (281) (291) 23", ""),
            ("Inversiones inmobiliarias.", "22 (282) (292)", ""),
            ("Inversiones en empresas del grupo y asociadas a largo plazo.",
             "24 2403 2404 2413 2414 2423 2424 (2493) (2494) (293) (2943) (2944) (2953) (2954)", ""),
            ("Inversiones financieras a largo plazo.",
             "2 2405 2415 2425 (2495) 25 250 251 252 253 254 255 258 (259) 26 (29) (2935) (2945) (2955) (296) "
             "(297) (298)", ""),
            ("Activos por impuesto diferido.", "474", ""),
            ("Deudores comerciales no corrientes.", None, ""),
        ]),
        ("B", "B) ACTIVO CORRIENTE", 1, None, "current_assets"),
        *_numbered("B", 2, [
            *(held_for_sale if full else []),
            ("Existencias.", "3 (39) 407", ""),
            ("Deudores comerciales y otras cuentas a cobrar.", None, "", [
                ("Clientes por ventas y prestaciones de servicios.", "43:D 438:D (437) (49) (490) (493)", "clients"),
                ("Accionistas (socios) por desembolsos exigidos.", "558", ""),
                ("Otros deudores.", "4:D 40:D 41:D 44:D 46:D 47:D 544 553:D", "other_debtors"),
            ]),
            ("Inversiones en empresas del grupo y asociadas a corto plazo.",
             "53 5303 5304 5313 5314 5323 5324 5333 5334 5343 5344 5353 5354 (5393) (5394) 5523:D 5524:D (593) "
             "(5943) (5944) (5953) (5954)", ""),
            ("Inversiones financieras a corto plazo.",
             "5:D 5305 5315 5325 5335 5345 5355 (5395) 54 540 541 542 543 545 546 547 548 (549) 551:D 552:D 5525:D "
             "55:D 559:D 5590 5593 56:D 565 566 (59) (5935) (5945) (5955) (596) (597) (598)", ""),
            ("Periodificaciones a corto plazo.", "480 567", ""),
            ("Efectivo y otros activos líquidos equivalentes.", "57:D", "cash"),
        ]),
        ("TA", "TOTAL ACTIVO (A + B)", 0, ["A", "B"], "total_assets"),
    ]


def _equity_and_liabilities(full: bool) -> list[tuple]:
    funds = [
        ("Capital.", None, "", [
            ("Capital escriturado.", "10 100 101 102", ""),
            ("(Capital no exigido).", "(103) (104)", ""),
        ]),
        ("Prima de emisión.", "110", ""),
        ("Reservas.", "11 112 113 114 115 119", ""),
        ("(Acciones y participaciones en patrimonio propias).", "(108) (109)", ""),
        ("Resultados de ejercicios anteriores.", "12 120 (121)", "prior_results"),
        ("Otras aportaciones de socios.", "118", ""),
        ("Resultado del ejercicio.", "129", "year_result"),
        ("(Dividendo a cuenta).", "(557)", ""),
    ]
    if full:
        funds.append(("Otros instrumentos de patrimonio neto.", "111", ""))
    adjustments = ("Ajustes por cambios de valor." if full else "Ajustes en patrimonio neto.")
    current = [
        ("Provisiones a corto plazo.", "499 529", ""),
        ("Deudas a corto plazo.", None, "", [
            ("Deudas con entidades de crédito.", "5105 520 527 57:C", ""),
            ("Acreedores por arrendamiento financiero.", "5125 524", ""),
            ("Otras deudas a corto plazo.",
             "5:C (1034) (1044) 19 (190) (192) 194 50 500 501 505 506 509 51 5115 5135 5145 52 521 522 523 525 526 "
             "528 551:C 552:C 5525:C 553:C 55:C 556 5565 5566 559:C 5595 5598 56:C 560 561 569", ""),
        ]),
        ("Deudas con empresas del grupo y asociadas a corto plazo.",
         "5103 5104 5113 5114 5123 5124 5133 5134 5143 5144 5523:C 5524:C 5563 5564", ""),
        ("Acreedores comerciales y otras cuentas a pagar.", None, "", [
            ("Proveedores.", "40:C (406)", "suppliers"),
            ("Otros acreedores.", "4:C 41:C 43:C 438:C 44:C 46:C 47:C", "other_creditors"),
        ]),
        ("Periodificaciones a corto plazo.", "485 568", ""),
        ("Deuda con características especiales a corto plazo.", "502 507", ""),
    ]
    if full:
        current.insert(0, ("Pasivos vinculados con activos no corrientes mantenidos para la venta.",
                           "585 586 587 588 589", ""))
    return [
        ("P.A", "A) PATRIMONIO NETO", 1, None, "equity"),
        ("P.A1", "A-1) Fondos propios.", 2, None, "own_funds"),
        *_numbered("P.A1", 3, funds),
        ("P.A2", f"A-2) {adjustments}", 2, "13 133 134 135 136 8 9", ""),
        ("P.A3", "A-3) Subvenciones, donaciones y legados recibidos.", 2, "130 131 132 137 84 94", ""),
        ("P.B", "B) PASIVO NO CORRIENTE", 1, None, "non_current_liabilities"),
        *_numbered("P.B", 2, [
            ("Provisiones a largo plazo.", "14", ""),
            ("Deudas a largo plazo.", None, "", [
                ("Deudas con entidades de crédito.", "1605 170", ""),
                ("Acreedores por arrendamiento financiero.", "1625 174", ""),
                ("Otras deudas a largo plazo.",
                 "1 16 1615 1635 17 171 172 173 175 176 177 178 179 18 180 185 189", ""),
            ]),
            ("Deudas con empresas del grupo y asociadas a largo plazo.",
             "1603 1604 1613 1614 1623 1624 1633 1634", ""),
            ("Pasivos por impuesto diferido.", "479", ""),
            ("Periodificaciones a largo plazo.", "181", ""),
            ("Acreedores comerciales no corrientes.", None, ""),
            ("Deuda con características especiales a largo plazo.", "15", ""),
        ]),
        ("P.C", "C) PASIVO CORRIENTE", 1, None, "current_liabilities"),
        *_numbered("P.C", 2, current),
        ("TP", "TOTAL PATRIMONIO NETO Y PASIVO (A + B + C)", 0, ["P.A", "P.B", "P.C"], "total_equity_liabilities"),
    ]


def build(key: str, title: str, *, full: bool) -> Layout:
    return Layout(
        key=key, title=title,
        sections=(
            section("assets", "ACTIVO", 1, _assets(full), total="TA"),
            section("equity_liabilities", "PATRIMONIO NETO Y PASIVO", -1, _equity_and_liabilities(full), total="TP"),
        ),
    )


BALANCE_PYMES = build("pymes", "Balance PYMES", full=False)
BALANCE_ABREVIADO = build("abreviado", "Balance abreviado", full=True)
