"""Copies the pinned npm packages' distribution files into static/vendor/ (no CDN at run time), and bundles
our own entry points that import npm packages (BUNDLES) with the pinned esbuild."""
import platform
import shutil
import subprocess
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
    "quill/dist/quill.snow.css": "collab/quill.snow.css",
    "quill-cursors/dist/quill-cursors.min.css": "collab/quill-cursors.css",
}
# Entry (under static/) -> bundle (under static/vendor/): one minified IIFE each, with its source map.
BUNDLES = {
    "collaboration/src/note-editor.js": "collab/note-editor.js",
}


def esbuild_binary() -> list[str]:
    """The pinned esbuild: its native binary (runs without node, as in the Docker build), else its node launcher."""
    arch = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}.get(platform.machine().lower(),
                                                                      platform.machine().lower())
    system = {"darwin": "darwin", "linux": "linux", "windows": "win32"}.get(platform.system().lower(), "")
    native = MODULES / "@esbuild" / f"{system}-{arch}" / ("esbuild.exe" if system == "win32" else "bin/esbuild")
    if native.exists():
        return [str(native)]
    return ["node", str(MODULES / "esbuild" / "bin" / "esbuild")]


def bundle(entry: str, output: str) -> None:
    target = VENDOR / output
    target.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([*esbuild_binary(), str(ROOT / "static" / entry), "--bundle", "--minify", "--format=iife",
                    "--target=es2020", "--sourcemap", "--log-level=warning", f"--outfile={target}"],
                   cwd=ROOT, check=True)


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
    for entry, output in BUNDLES.items():
        try:
            bundle(entry, output)
        except (OSError, subprocess.CalledProcessError) as exc:
            print(f"No se pudo empaquetar {entry} con esbuild: {exc}", file=sys.stderr)
            return 1
        size = (VENDOR / output).stat().st_size
        print(f"{entry} -> {(VENDOR / output).relative_to(ROOT)} ({size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
