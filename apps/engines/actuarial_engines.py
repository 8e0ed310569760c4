"""The actuarial engines, registered with the engine registry at ready()."""
from django.utils.translation import gettext_lazy as _

from apps.engines import registry as engines
from apps.engines.forms import ChainLadderForm, LossRatioForm, PricingForm, TriangleForm
from apps.engines.services import actuarial

ACTUARIAL = [
    engines.Engine(key="actuarial.loss_ratio", label=_("Siniestralidad (loss ratio)"), category="actuarial",
                   form_class=LossRatioForm, compute=actuarial.compute_loss_ratio,
                   description=_("Incurrido / prima imputada pro rata temporis, por ramo, compañía, producto y "
                                 "periodo.")),
    engines.Engine(key="actuarial.triangle", label=_("Triángulos de siniestros"), category="actuarial",
                   form_class=TriangleForm, compute=actuarial.compute_triangle,
                   description=_("Pagos e incurridos por periodo de ocurrencia y desarrollo, desde los siniestros "
                                 "o un CSV.")),
    engines.Engine(key="actuarial.chain_ladder", label=_("Reservas IBNR (chain-ladder)"), category="actuarial",
                   form_class=ChainLadderForm, compute=actuarial.compute_chain_ladder,
                   description=_("Factores ponderados por volumen, últimos e IBNR por origen; error estándar de "
                                 "Mack y Bornhuetter-Ferguson.")),
    engines.Engine(key="actuarial.pricing_glm", label=_("Tarificación frecuencia-severidad (GLM)"),
                   category="actuarial", form_class=PricingForm, compute=actuarial.compute_pricing,
                   description=_("GLM Poisson de frecuencia y Gamma de severidad con relatividades por factor.")),
]

for _engine in ACTUARIAL:
    if not any(e.key == _engine.key for e in engines.all()):
        engines.register(_engine)
