"""Deployment artefacts under deploy/ and the production settings. No database needed."""
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.platform.production import production_env

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
YAML_FILES = sorted(p for pattern in ("*.yml", "*.yaml") for p in DEPLOY.rglob(pattern))


def _load_all(path: Path) -> list:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def _k8s_objects() -> list[dict]:
    return [doc for path in sorted((DEPLOY / "k8s").glob("*.yaml")) for doc in _load_all(path)]


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


# --- YAML ------------------------------------------------------------------------------------


def test_deploy_has_yaml_files():
    assert len(YAML_FILES) >= 10


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(DEPLOY)))
def test_every_yaml_file_parses(path):
    assert _load_all(path), f"{path} holds no document"


# --- docker compose ------------------------------------------------------------------------------


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def test_compose_has_every_service():
    services = _compose()["services"]
    expected = {
        "postgres", "redis", "minio", "elasticsearch", "web", "worker", "beat", "migrate", "nginx", "prometheus",
        "grafana",
    }
    assert expected <= set(services), expected - set(services)


def test_compose_app_services_wait_for_migrations():
    services = _compose()["services"]
    for name in ("web", "worker", "beat"):
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert services[name]["environment"]["DJANGO_SETTINGS_MODULE"] == "aitcore.settings.production"
    assert services["migrate"]["restart"] == "no"
    assert "platform_migrate" in " ".join(services["migrate"]["command"])


def test_compose_mounts_exist():
    for name, service in _compose()["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), f"{name}: {source} is missing"


def test_env_example_covers_compose_variables():
    text = (DEPLOY / "docker-compose.yml").read_text()
    used = set(re.findall(r"(?<!\$)\$\{([A-Z0-9_]+)", text))
    documented = {
        line.split("=", 1)[0]
        for line in (DEPLOY / ".env.example").read_text().splitlines()
        if "=" in line and not line.startswith("#")
    }
    assert used <= documented, sorted(used - documented)


# --- Dockerfile -------------------------------------------------------------------------------------


def test_dockerfile_is_multi_stage_and_non_root():
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM\s+\S+(?:\s+AS\s+(\S+))?", text, flags=re.MULTILINE | re.IGNORECASE)
    assert len(stages) >= 3
    users = re.findall(r"^USER\s+(\S+)", text, flags=re.MULTILINE)
    assert users, "no USER instruction"
    assert users[-1].split(":")[0] not in {"root", "0"}
    assert re.search(r"^HEALTHCHECK\s", text, flags=re.MULTILINE)
    assert "PROMETHEUS_MULTIPROC_DIR" in text
    assert "collectstatic --noinput" in text
    assert (DEPLOY / "docker-entrypoint.sh").stat().st_mode & 0o111


# --- nginx -----------------------------------------------------------------------------------------


def test_nginx_conf():
    text = (DEPLOY / "nginx" / "aitcore.conf").read_text()
    assert re.search(r"location\s+/ws/", text)
    assert re.search(r"proxy_set_header\s+Upgrade\s+\$http_upgrade", text)
    assert re.search(r"proxy_set_header\s+Connection\s+\$connection_upgrade", text)
    assert "Strict-Transport-Security" in text and "max-age=31536000" in text
    assert "X-Content-Type-Options" in text and "Referrer-Policy" in text and "X-Frame-Options" in text
    assert re.search(r"return\s+301\s+https://", text)
    assert re.search(r"client_max_body_size\s+\d+[kmg]?;", text)
    assert re.search(r"location\s+=\s+/metrics\s*\{\s*deny\s+all;", text)
    assert re.search(r"ssl_certificate\s+/etc/nginx/certs/", text)
    assert re.search(r"^gzip\s+on;", text, flags=re.MULTILINE)


# --- Kubernetes -----------------------------------------------------------------------------------------


def _of_kind(kind: str) -> list[dict]:
    return [obj for obj in _k8s_objects() if obj.get("kind") == kind]


def _component(obj: dict) -> str:
    return obj["metadata"]["labels"]["app.kubernetes.io/component"]


def test_k8s_workloads():
    deployments = {_component(d): d for d in _of_kind("Deployment")}
    assert {"web", "worker", "beat"} <= set(deployments)
    assert deployments["beat"]["spec"]["replicas"] == 1
    assert deployments["beat"]["spec"]["strategy"]["type"] == "Recreate"
    web = deployments["web"]["spec"]["template"]["spec"]["containers"][0]
    assert web["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert web["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    for deployment in deployments.values():
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
    jobs = _of_kind("Job")
    assert jobs and "platform_migrate" in jobs[0]["spec"]["template"]["spec"]["containers"][0]["args"]
    assert _of_kind("Service")


def test_k8s_autoscaling_and_ingress():
    targets = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in _of_kind("HorizontalPodAutoscaler")}
    assert {"aitcore-web", "aitcore-worker"} <= targets
    ingresses = _of_kind("Ingress")
    assert ingresses
    hosts = {rule["host"] for ingress in ingresses for rule in ingress["spec"]["rules"]}
    assert any(host.startswith("*.") for host in hosts)
    assert all(ingress["spec"].get("tls") for ingress in ingresses)
    assert any(
        path["path"] == "/ws/"
        for ingress in ingresses for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]
    )
    assert _of_kind("ServiceMonitor") or any(
        d["spec"]["template"]["metadata"].get("annotations", {}).get("prometheus.io/scrape") == "true"
        for d in _of_kind("Deployment")
    )


def test_kustomization_lists_existing_files():
    kustomization = yaml.safe_load((DEPLOY / "k8s" / "kustomization.yaml").read_text())
    for resource in kustomization["resources"]:
        assert (DEPLOY / "k8s" / resource).is_file(), resource


def test_prometheus_rule_matches_alerts():
    alerts = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    (rule,) = _of_kind("PrometheusRule")
    assert rule["spec"]["groups"] == alerts["groups"], "run deploy/prometheus/render_prometheusrule.py"


# --- Prometheus / Grafana ------------------------------------------------------------------------------------


def test_prometheus_scrapes_web_metrics():
    config = yaml.safe_load((DEPLOY / "prometheus" / "prometheus.yml").read_text())
    (job,) = [j for j in config["scrape_configs"] if j["job_name"] == "aitcore-web"]
    assert job["metrics_path"] == "/metrics"
    assert "/etc/prometheus/alerts.yml" in config["rule_files"]


def test_alert_rules_cover_the_essentials():
    alerts = yaml.safe_load((DEPLOY / "prometheus" / "alerts.yml").read_text())
    rules = [rule for group in alerts["groups"] for rule in group["rules"]]
    assert sum("alert" in rule for rule in rules) >= 5
    joined = "\n".join(rule["expr"] for rule in rules)
    assert 'status=~"5.."' in joined
    assert "histogram_quantile(0.95" in joined
    assert "up{" in joined
    assert "django_db_new_connection_errors_total" in joined


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool not installed")
def test_promtool_rules():
    for args in (["check", "rules", "alerts.yml"], ["test", "rules", "alerts.test.yml"]):
        result = subprocess.run(["promtool", *args], cwd=DEPLOY / "prometheus", capture_output=True, text=True)
        assert result.returncode == 0, result.stdout + result.stderr


def test_grafana_dashboard_and_provisioning():
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "aitcore.json").read_text())
    panels = [p for p in dashboard["panels"] if p["type"] != "row"]
    exprs = " ".join(t["expr"] for p in panels for t in p["targets"])
    for metric in (
        "django_http_requests_total_by_method_total",
        "django_http_requests_latency_seconds_by_view_method_bucket",
        "django_http_responses_total_by_status_total",
        "django_db_execute_total",
        "django_cache_get_hits_total",
    ):
        assert metric in exprs, metric
    assert len({p["id"] for p in dashboard["panels"]}) == len(dashboard["panels"])
    (datasource,) = yaml.safe_load(
        (DEPLOY / "grafana" / "provisioning" / "datasources" / "prometheus.yml").read_text()
    )["datasources"]
    assert datasource["url"] == "http://prometheus:9090"
    provider = yaml.safe_load((DEPLOY / "grafana" / "provisioning" / "dashboards" / "aitcore.yml").read_text())
    assert provider["providers"][0]["options"]["path"] == "/etc/grafana/dashboards"


# --- Production settings ----------------------------------------------------------------------------------


def test_production_settings_require_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "DJANGO_SECRET_KEY" in result.stderr
