"""Write deploy/k8s/prometheusrule.yaml from deploy/prometheus/alerts.yml (one source of truth).

Usage: python deploy/prometheus/render_prometheusrule.py
"""
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parent.parent
HEADER = (
    "# GENERATED from deploy/prometheus/alerts.yml by deploy/prometheus/render_prometheusrule.py;\n"
    "# tests/platform/test_deploy.py checks they match. Requires the Prometheus Operator CRDs.\n"
)


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str):
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|" if "\n" in value else None)


_Dumper.add_representer(str, _str)


def render() -> str:
    alerts = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    document = {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {
            "name": "aitcore",
            "namespace": "aitcore",
            "labels": {
                "app.kubernetes.io/name": "aitcore",
                "app.kubernetes.io/part-of": "aitcore",
                "release": "kube-prometheus-stack",
            },
        },
        "spec": {"groups": alerts["groups"]},
    }
    return HEADER + yaml.dump(document, Dumper=_Dumper, sort_keys=False, width=120)


if __name__ == "__main__":
    (DEPLOY / "k8s" / "prometheusrule.yaml").write_text(render())
