"""Cuenta de pérdidas y ganancias: models «normal», «abreviado» and «PYMES».

Every figure is income minus expenses (credit - debit) of the accounts behind it, so income lines
are positive, expense lines negative and each «RESULTADO» line is the plain sum of the lines it
names. ``"6"`` and ``"7"`` are catch-alls for accounts outside the official codes.
"""
from apps.accounting.data.layouts.base import Layout, section

# Shared by PYMES and abreviado (the abreviado model has the same lines as the PYMES one).
SHORT = [
    ("1", "1. Importe neto de la cifra de negocios.", 1, "70 700 701 702 703 704 705 (706) (708) (709)", "revenue"),
    ("2", "2. Variación de existencias de productos terminados y en curso de fabricación.", 1,
     "(6930) 71 7930", ""),
    ("3", "3. Trabajos realizados por la empresa para su activo.", 1, "73", ""),
    ("4", "4. Aprovisionamientos.", 1,
     "(60) (600) (601) (602) 606 (607) 608 609 (61) (6931) (6932) (6933) 7931 7932 7933", "supplies"),
    ("5", "5. Otros ingresos de explotación.", 1, "7 74 740 747 75", "other_income"),
    ("6", "6. Gastos de personal.", 1, "(64) 7950 7957", "staff"),
    ("7", "7. Otros gastos de explotación.", 1,
     "(6) (62) (63) (631) (634) 636 639 (65) (694) (695) 794 7954", "other_expenses"),
    ("8", "8. Amortización del inmovilizado.", 1, "(68)", "depreciation"),
    ("9", "9. Imputación de subvenciones de inmovilizado no financiero y otras.", 1, "746", ""),
    ("10", "10. Excesos de provisiones.", 1, "79 795 7951 7952 7955 7956", ""),
    ("11", "11. Deterioro y resultado por enajenaciones del inmovilizado.", 1,
     "(67) (670) (671) (672) (69) (690) (691) (692) 77 770 771 772 790 791 792", ""),
    ("12", "12. Otros resultados.", 1, "(678) 774 778", ""),
    ("A", "A) RESULTADO DE EXPLOTACIÓN (1+2+3+4+5+6+7+8+9+10+11+12)", 0,
     ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"], "operating_result"),
    ("13", "13. Ingresos financieros.", 1, "76 760 761 762 767 769", "financial_income"),
    ("14", "14. Gastos financieros.", 1, "(66) (660) (661) (662) (664) (665) (669)", "financial_expenses"),
    ("15", "15. Variación de valor razonable en instrumentos financieros.", 1, "(663) 763", ""),
    ("16", "16. Diferencias de cambio.", 1, "(668) 768", ""),
    ("17", "17. Deterioro y resultado por enajenaciones de instrumentos financieros.", 1,
     "(666) (667) (673) (675) (696) (697) (698) (699) 766 773 775 796 797 798 799", ""),
    ("18", "18. Otros ingresos y gastos de carácter financiero.", 1, None, ""),
    ("B", "B) RESULTADO FINANCIERO (13+14+15+16+17+18)", 0, ["13", "14", "15", "16", "17", "18"],
     "financial_result"),
    ("C", "C) RESULTADO ANTES DE IMPUESTOS (A+B)", 0, ["A", "B"], "pre_tax_result"),
    ("19", "19. Impuestos sobre beneficios.", 1, "(630) (633) 638", "income_tax"),
    ("D", "D) RESULTADO DEL EJERCICIO (C+19)", 0, ["C", "19"], "profit"),
]

NORMAL = [
    ("1", "1. Importe neto de la cifra de negocios.", 1, None, "revenue"),
    ("1.a", "a) Ventas.", 2, "70 700 701 702 703 704 (706) (708) (709)", ""),
    ("1.b", "b) Prestaciones de servicios.", 2, "705", ""),
    ("2", "2. Variación de existencias de productos terminados y en curso de fabricación.", 1,
     "(6930) 71 7930", ""),
    ("3", "3. Trabajos realizados por la empresa para su activo.", 1, "73", ""),
    ("4", "4. Aprovisionamientos.", 1, None, "supplies"),
    ("4.a", "a) Consumo de mercaderías.", 2, "(60) (600) 6060 6080 6090 (61) 610", ""),
    ("4.b", "b) Consumo de materias primas y otras materias consumibles.", 2,
     "(601) (602) 6061 6062 6081 6082 6091 6092 611 612", ""),
    ("4.c", "c) Trabajos realizados por otras empresas.", 2, "(607)", ""),
    ("4.d", "d) Deterioro de mercaderías, materias primas y otros aprovisionamientos.", 2,
     "(6931) (6932) (6933) 7931 7932 7933", ""),
    ("5", "5. Otros ingresos de explotación.", 1, None, "other_income"),
    ("5.a", "a) Ingresos accesorios y otros de gestión corriente.", 2, "7 75", ""),
    ("5.b", "b) Subvenciones de explotación incorporadas al resultado del ejercicio.", 2, "74 740 747", ""),
    ("6", "6. Gastos de personal.", 1, None, "staff"),
    ("6.a", "a) Sueldos, salarios y asimilados.", 2, "(64) (640) (641) (6450)", ""),
    ("6.b", "b) Cargas sociales.", 2, "(642) (643) (649)", ""),
    ("6.c", "c) Provisiones.", 2, "(644) (6457) 7950 7957", ""),
    ("7", "7. Otros gastos de explotación.", 1, None, "other_expenses"),
    ("7.a", "a) Servicios exteriores.", 2, "(62)", ""),
    ("7.b", "b) Tributos.", 2, "(63) (631) (634) 636 639", ""),
    ("7.c", "c) Pérdidas, deterioro y variación de provisiones por operaciones comerciales.", 2,
     "(650) (694) (695) 794 7954", ""),
    ("7.d", "d) Otros gastos de gestión corriente.", 2, "(6) (65) (651) (659)", ""),
    ("8", "8. Amortización del inmovilizado.", 1, "(68)", "depreciation"),
    ("9", "9. Imputación de subvenciones de inmovilizado no financiero y otras.", 1, "746", ""),
    ("10", "10. Excesos de provisiones.", 1, "79 795 7951 7952 7955 7956", ""),
    ("11", "11. Deterioro y resultado por enajenaciones del inmovilizado.", 1, None, ""),
    ("11.a", "a) Deterioros y pérdidas.", 2, "(69) (690) (691) (692) 790 791 792", ""),
    ("11.b", "b) Resultados por enajenaciones y otras.", 2, "(67) (670) (671) (672) 77 770 771 772", ""),
    ("12", "12. Diferencia negativa de combinaciones de negocio.", 1, "774", ""),
    ("13", "13. Otros resultados.", 1, "(678) 778", ""),
    ("A.1", "A.1) RESULTADO DE EXPLOTACIÓN (1+2+3+4+5+6+7+8+9+10+11+12+13)", 0,
     ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13"], "operating_result"),
    ("14", "14. Ingresos financieros.", 1, None, "financial_income"),
    ("14.a", "a) De participaciones en instrumentos de patrimonio.", 2, None, ""),
    ("14.a1", "a1) En empresas del grupo y asociadas.", 3, "7600 7601", ""),
    ("14.a2", "a2) En terceros.", 3, "760 7602 7603", ""),
    ("14.b", "b) De valores negociables y otros instrumentos financieros.", 2, None, ""),
    ("14.b1", "b1) De empresas del grupo y asociadas.", 3, "7610 7611 76200 76201 76210 76211", ""),
    ("14.b2", "b2) De terceros.", 3, "76 761 762 7612 7613 76202 76203 76212 76213 767 769", ""),
    ("15", "15. Gastos financieros.", 1, None, "financial_expenses"),
    ("15.a", "a) Por deudas con empresas del grupo y asociadas.", 2,
     "(6610) (6611) (6615) (6616) (6620) (6621) (6640) (6641) (6650) (6651) (6654) (6655)", ""),
    ("15.b", "b) Por deudas con terceros.", 2,
     "(66) (661) (662) (664) (665) (6612) (6613) (6617) (6618) (6622) (6623) (6624) (6642) (6643) (6652) (6653) "
     "(6656) (6657) (669)", ""),
    ("15.c", "c) Por actualización de provisiones.", 2, "(660)", ""),
    ("16", "16. Variación de valor razonable en instrumentos financieros.", 1, None, ""),
    ("16.a", "a) Cartera de negociación y otros.", 2, "(663) (6630) (6631) (6633) 763 7630 7631 7633", ""),
    ("16.b", "b) Imputación al resultado del ejercicio por activos financieros disponibles para la venta.", 2,
     "(6632) 7632", ""),
    ("17", "17. Diferencias de cambio.", 1, "(668) 768", ""),
    ("18", "18. Deterioro y resultado por enajenaciones de instrumentos financieros.", 1, None, ""),
    ("18.a", "a) Deterioros y pérdidas.", 2, "(696) (697) (698) (699) 796 797 798 799", ""),
    ("18.b", "b) Resultados por enajenaciones y otras.", 2, "(666) (667) (673) (675) 766 773 775", ""),
    ("19", "19. Otros ingresos y gastos de carácter financiero.", 1, None, ""),
    ("A.2", "A.2) RESULTADO FINANCIERO (14+15+16+17+18+19)", 0, ["14", "15", "16", "17", "18", "19"],
     "financial_result"),
    ("A.3", "A.3) RESULTADO ANTES DE IMPUESTOS (A.1+A.2)", 0, ["A.1", "A.2"], "pre_tax_result"),
    ("20", "20. Impuestos sobre beneficios.", 1, "(630) (633) 638", "income_tax"),
    ("A.4", "A.4) RESULTADO DEL EJERCICIO PROCEDENTE DE OPERACIONES CONTINUADAS (A.3+20)", 0, ["A.3", "20"], ""),
    ("B", "B) OPERACIONES INTERRUMPIDAS", 1, None, ""),
    ("21", "21. Resultado del ejercicio procedente de operaciones interrumpidas neto de impuestos.", 2, None, ""),
    ("A.5", "A.5) RESULTADO DEL EJERCICIO (A.4+21)", 0, ["A.4", "B"], "profit"),
]


def _pyg(key: str, title: str, rows: list[tuple], total: str) -> Layout:
    return Layout(key=key, title=title, sections=(section("pyg", "CUENTA DE PÉRDIDAS Y GANANCIAS", -1, rows, total),))


PYG_PYMES = _pyg("pymes", "Cuenta de pérdidas y ganancias PYMES", SHORT, "D")
PYG_ABREVIADO = _pyg("abreviado", "Cuenta de pérdidas y ganancias abreviada", SHORT, "D")
PYG_NORMAL = _pyg("normal", "Cuenta de pérdidas y ganancias normal", NORMAL, "A.5")
