"""Copies the pinned npm packages' distribution files into static/vendor/ (no CDN at run time)."""
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"
FILES = {
    "bootstrap/dist/css/bootstrap.min.css": "bootstrap/bootstrap.min.css",
    "bootstrap/dist/css/bootstrap.min.css.map": "bootstrap/bootstrap.min.css.map",
    "bootstrap/dist/js/bootstrap.bundle.min.js": "bootstrap/bootstrap.bundle.min.js",
    "bootstrap/dist/js/bootstrap.bundle.min.js.map": "bootstrap/bootstrap.bundle.min.js.map",
    "bootstrap-icons/font/bootstrap-icons.min.css": "bootstrap-icons/bootstrap-icons.min.css",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff2": "bootstrap-icons/fonts/bootstrap-icons.woff2",
    "bootstrap-icons/font/fonts/bootstrap-icons.woff": "bootstrap-icons/fonts/bootstrap-icons.woff",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "chart.js/dist/chart.umd.min.js": "chart.js/chart.umd.min.js",
    "chart.js/dist/chart.umd.min.js.map": "chart.js/chart.umd.min.js.map",
}


def main() -> int:
    missing = [src for src in FILES if not (MODULES / src).exists()]
    if missing:
        print("Faltan paquetes npm (ejecute 'npm ci'): " + ", ".join(missing), file=sys.stderr)
        return 1
    for src, dst in FILES.items():
        target = VENDOR / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(MODULES / src, target)
    print(f"{len(FILES)} ficheros copiados a {VENDOR.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
