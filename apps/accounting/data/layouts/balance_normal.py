"""Balance sheet «normal» (PGC, RD 1514/2007, third part, «Modelos normales de cuentas anuales»).

Same conventions as balance_short: PGC account correspondence per line plus catch-all prefixes
for non-official accounts, sided items (``:D``/``:C``) for accounts that change side with their
balance (clients and suppliers with the opposite balance, bank overdrafts, tax accounts,
current accounts with partners and group companies).
"""
from apps.accounting.data.layouts.balance_short import _numbered
from apps.accounting.data.layouts.base import Layout, section

ASSETS = [
    ("A", "A) ACTIVO NO CORRIENTE", 1, None, "non_current_assets"),
    *_numbered("A", 2, [
        ("Inmovilizado intangible.", None, "", [
            ("Desarrollo.", "201 (2801) (2901)", ""),
            ("Concesiones.", "202 (2802) (2902)", ""),
            ("Patentes, licencias, marcas y similares.", "203 (2803) (2903)", ""),
            ("Fondo de comercio.", "204", ""),
            ("Aplicaciones informáticas.", "206 (2806) (2906)", ""),
            ("Investigación.", "200 (2800) (2900)", ""),
            ("Otro inmovilizado intangible.", "20 205 209 (280) (2805) (290) (2905)", ""),
        ]),
        ("Inmovilizado material.", None, "", [
            ("Terrenos y construcciones.", "210 211 (2811) (2910) (2911)", ""),
            ("Instalaciones técnicas y otro inmovilizado material.", "21 (281) (291)", ""),
            ("Inmovilizado en curso y anticipos.", "23", ""),
        ]),
        ("Inversiones inmobiliarias.", None, "", [
            ("Terrenos.", "220 (2920)", ""),
            ("Construcciones.", "22 221 (282) (292) (2921)", ""),
        ]),
        ("Inversiones en empresas del grupo y asociadas a largo plazo.", None, "", [
            ("Instrumentos de patrimonio.", "2403 2404 (2493) (2494) (293)", ""),
            ("Créditos a empresas.", "2423 2424 (2953) (2954)", ""),
            ("Valores representativos de deuda.", "2413 2414 (2943) (2944)", ""),
            ("Derivados.", None, ""),
            ("Otros activos financieros.", "24", ""),
        ]),
        ("Inversiones financieras a largo plazo.", None, "", [
            ("Instrumentos de patrimonio.", "2405 (2495) 250 (259) (2935) (296)", ""),
            ("Créditos a terceros.", "2425 252 253 254 (2955) (298)", ""),
            ("Valores representativos de deuda.", "2415 251 (2945) (297)", ""),
            ("Derivados.", "255", ""),
            ("Otros activos financieros.", "2 25 257 258 26 (29)", ""),
        ]),
        ("Activos por impuesto diferido.", "474", ""),
        ("Deudores comerciales no corrientes.", None, ""),
    ]),
    ("B", "B) ACTIVO CORRIENTE", 1, None, "current_assets"),
    *_numbered("B", 2, [
        ("Activos no corrientes mantenidos para la venta.", "58 580 581 582 583 584 (599)", ""),
        ("Existencias.", None, "", [
            ("Comerciales.", "3 30 (39) (390)", ""),
            ("Materias primas y otros aprovisionamientos.", "31 32 (391) (392)", ""),
            ("Productos en curso.", "33 34 (393) (394)", ""),
            ("Productos terminados.", "35 (395)", ""),
            ("Subproductos, residuos y materiales recuperados.", "36 (396)", ""),
            ("Anticipos a proveedores.", "407", ""),
        ]),
        ("Deudores comerciales y otras cuentas a cobrar.", None, "", [
            ("Clientes por ventas y prestaciones de servicios.", "43:D 438:D (437) (49) (490) (4935)", "clients"),
            ("Clientes, empresas del grupo y asociadas.", "433:D 434:D (4933) (4934)", ""),
            ("Deudores varios.", "4:D 40:D 403:D 404:D 41:D 44:D 553:D", "other_debtors"),
            ("Personal.", "46:D 544", ""),
            ("Activos por impuesto corriente.", "4709:D 4752:D", ""),
            ("Otros créditos con las Administraciones Públicas.", "47:D", ""),
            ("Accionistas (socios) por desembolsos exigidos.", "558", ""),
        ]),
        ("Inversiones en empresas del grupo y asociadas a corto plazo.", None, "", [
            ("Instrumentos de patrimonio.", "5303 5304 (5393) (5394) (593)", ""),
            ("Créditos a empresas.", "5323 5324 5343 5344 (5953) (5954)", ""),
            ("Valores representativos de deuda.", "5313 5314 5333 5334 (5943) (5944)", ""),
            ("Derivados.", None, ""),
            ("Otros activos financieros.", "53 5353 5354 5523:D 5524:D", ""),
        ]),
        ("Inversiones financieras a corto plazo.", None, "", [
            ("Instrumentos de patrimonio.", "5305 540 (5395) (549) (5935) (596)", ""),
            ("Créditos a empresas.", "5325 5345 542 543 547 (5955) (598)", ""),
            ("Valores representativos de deuda.", "5315 5335 541 546 (5945) (597)", ""),
            ("Derivados.", "559:D 5590 5593", ""),
            ("Otros activos financieros.", "5:D 5355 54 545 548 551:D 552:D 5525:D 55:D 56:D 565 566 (59)", ""),
        ]),
        ("Periodificaciones a corto plazo.", "480 567", ""),
        ("Efectivo y otros activos líquidos equivalentes.", None, "", [
            ("Tesorería.", "57:D", "cash"),
            ("Otros activos líquidos equivalentes.", "576:D", ""),
        ]),
    ]),
    ("TA", "TOTAL ACTIVO (A + B)", 0, ["A", "B"], "total_assets"),
]

EQUITY_AND_LIABILITIES = [
    ("P.A", "A) PATRIMONIO NETO", 1, None, "equity"),
    ("P.A1", "A-1) Fondos propios.", 2, None, "own_funds"),
    *_numbered("P.A1", 3, [
        ("Capital.", None, "", [
            ("Capital escriturado.", "10 100 101 102", ""),
            ("(Capital no exigido).", "(103) (104)", ""),
        ]),
        ("Prima de emisión.", "110", ""),
        ("Reservas.", None, "", [
            ("Legal y estatutarias.", "112 1141", ""),
            ("Otras reservas.", "11 113 114 1140 1142 1143 1144 115 119", ""),
        ]),
        ("(Acciones y participaciones en patrimonio propias).", "(108) (109)", ""),
        ("Resultados de ejercicios anteriores.", None, "", [
            ("Remanente.", "12 120", "prior_results"),
            ("(Resultados negativos de ejercicios anteriores).", "(121)", ""),
        ]),
        ("Otras aportaciones de socios.", "118", ""),
        ("Resultado del ejercicio.", "129", "year_result"),
        ("(Dividendo a cuenta).", "(557)", ""),
        ("Otros instrumentos de patrimonio neto.", "111", ""),
    ]),
    ("P.A2", "A-2) Ajustes por cambios de valor.", 2, None, ""),
    *_numbered("P.A2", 3, [
        ("Activos financieros disponibles para la venta.", "133 80 90", ""),
        ("Operaciones de cobertura.", "134 81 91", ""),
        ("Otros.", "13 135 136 8 9", ""),
    ]),
    ("P.A3", "A-3) Subvenciones, donaciones y legados recibidos.", 2, "130 131 132 137 84 94", ""),
    ("P.B", "B) PASIVO NO CORRIENTE", 1, None, "non_current_liabilities"),
    *_numbered("P.B", 2, [
        ("Provisiones a largo plazo.", None, "", [
            ("Obligaciones por prestaciones a largo plazo al personal.", "140", ""),
            ("Actuaciones medioambientales.", "145", ""),
            ("Provisiones por reestructuración.", "146", ""),
            ("Otras provisiones.", "14 141 142 143 147", ""),
        ]),
        ("Deudas a largo plazo.", None, "", [
            ("Obligaciones y otros valores negociables.", "177 178 179", ""),
            ("Deudas con entidades de crédito.", "1605 170", ""),
            ("Acreedores por arrendamiento financiero.", "1625 174", ""),
            ("Derivados.", "176", ""),
            ("Otros pasivos financieros.", "1 16 1615 1635 17 171 172 173 175 18 180 185 189", ""),
        ]),
        ("Deudas con empresas del grupo y asociadas a largo plazo.", "1603 1604 1613 1614 1623 1624 1633 1634", ""),
        ("Pasivos por impuesto diferido.", "479", ""),
        ("Periodificaciones a largo plazo.", "181", ""),
        ("Acreedores comerciales no corrientes.", None, ""),
        ("Deuda con características especiales a largo plazo.", "15", ""),
    ]),
    ("P.C", "C) PASIVO CORRIENTE", 1, None, "current_liabilities"),
    *_numbered("P.C", 2, [
        ("Pasivos vinculados con activos no corrientes mantenidos para la venta.", "585 586 587 588 589", ""),
        ("Provisiones a corto plazo.", "499 529", ""),
        ("Deudas a corto plazo.", None, "", [
            ("Obligaciones y otros valores negociables.", "50 500 501 505 506", ""),
            ("Deudas con entidades de crédito.", "5105 520 527 57:C 576:C", ""),
            ("Acreedores por arrendamiento financiero.", "5125 524", ""),
            ("Derivados.", "559:C 5595 5598", ""),
            ("Otros pasivos financieros.",
             "5:C (1034) (1044) 19 (190) (192) 194 509 51 5115 5135 5145 52 521 522 523 525 526 528 551:C 552:C "
             "5525:C 553:C 55:C 556 5565 5566 56:C 560 561 569", ""),
        ]),
        ("Deudas con empresas del grupo y asociadas a corto plazo.",
         "5103 5104 5113 5114 5123 5124 5133 5134 5143 5144 5523:C 5524:C 5563 5564", ""),
        ("Acreedores comerciales y otras cuentas a pagar.", None, "", [
            ("Proveedores.", "40:C (406)", "suppliers"),
            ("Proveedores, empresas del grupo y asociadas.", "403:C 404:C", ""),
            ("Acreedores varios.", "4:C 41:C 44:C", "other_creditors"),
            ("Personal (remuneraciones pendientes de pago).", "46:C", ""),
            ("Pasivos por impuesto corriente.", "4709:C 4752:C", ""),
            ("Otras deudas con las Administraciones Públicas.", "47:C", ""),
            ("Anticipos de clientes.", "43:C 433:C 434:C 438:C", ""),
        ]),
        ("Periodificaciones a corto plazo.", "485 568", ""),
        ("Deuda con características especiales a corto plazo.", "502 507", ""),
    ]),
    ("TP", "TOTAL PATRIMONIO NETO Y PASIVO (A + B + C)", 0, ["P.A", "P.B", "P.C"], "total_equity_liabilities"),
]

BALANCE_NORMAL = Layout(
    key="normal", title="Balance normal",
    sections=(
        section("assets", "ACTIVO", 1, ASSETS, total="TA"),
        section("equity_liabilities", "PATRIMONIO NETO Y PASIVO", -1, EQUITY_AND_LIABILITIES, total="TP"),
    ),
)
