"""Build the jitstudio desktop bundle (one folder) and a tarball of it, from a checkout.

    python packaging/build.py            # freeze with the current Python environment
    python packaging/build.py --venv     # freeze in a throwaway virtual environment made from PyPI
    python packaging/build.py --no-tarball

The current environment must have jitstudio's dependencies (`pip install -e ".[postgres]"`); PyInstaller
is installed into it from PyPI when it is missing. With --venv a fresh environment under packaging/build/venv
gets the checkout, its `postgres` extra and PyInstaller, so nothing else is needed but Python 3.11+.

Everything goes under packaging/build/: the bundle in dist/jitstudio/, PyInstaller's work files in work/,
and jitstudio-VERSION-linux-ARCH.tar.gz (the bundle, the desktop entry, the AppStream metadata, the icons and
install.sh). The last lines printed are the bundle's path, its size and the tarball's.
"""
from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import time
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUILD = HERE / "build"
DIST = BUILD / "dist"
WORK = BUILD / "work"
BUNDLE = DIST / "jitstudio"
SPEC = HERE / "jitstudio.spec"
LINUX = HERE / "linux"
ICONS = ROOT / "resources" / "icons" / "app"
APP_ID = "dev.jitstudio.JitStudio"
PYINSTALLER = "pyinstaller>=6.10,<7"


def log(message: str) -> None:
    print(f"build: {message}", flush=True)


def run(command: list[str], **kwargs) -> None:
    log(" ".join(command))
    subprocess.run(command, check=True, **kwargs)


def version() -> str:
    text = (ROOT / "jitstudio" / "__init__.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__\s*=\s*"([^"]+)"', text, re.M)
    if not match:
        raise SystemExit("build: no __version__ in jitstudio/__init__.py")
    return match.group(1)


def check_metadata(ver: str) -> None:
    """The AppStream metadata names the release being built (stores show it as the latest version)."""
    metainfo = (LINUX / f"{APP_ID}.metainfo.xml").read_text(encoding="utf-8")
    if f'<release version="{ver}"' not in metainfo:
        raise SystemExit(f"build: {APP_ID}.metainfo.xml has no <release version=\"{ver}\">; add one")


def has_module(python: str, name: str) -> bool:
    probe = f"import importlib.util, sys; sys.exit(importlib.util.find_spec({name!r}) is None)"
    return subprocess.run([python, "-c", probe], capture_output=True).returncode == 0


def freezer_python(use_venv: bool) -> str:
    """The Python that runs PyInstaller: a fresh venv, or this one with PyInstaller added if it is missing."""
    if use_venv:
        home = BUILD / "venv"
        if home.exists():
            shutil.rmtree(home)
        log(f"creating a virtual environment in {home.relative_to(ROOT)}")
        venv.EnvBuilder(with_pip=True, clear=True).create(home)
        python = str(home / ("Scripts/python.exe" if os.name == "nt" else "bin/python"))
        run([python, "-m", "pip", "install", "-q", "--upgrade", "pip"])
        leftover = ROOT / "build"  # setuptools builds the wheel in the checkout; keep the checkout as it was
        had_leftover = leftover.exists()
        run([python, "-m", "pip", "install", "-q", f"{ROOT}[postgres]", PYINSTALLER])
        if not had_leftover and leftover.is_dir():
            shutil.rmtree(leftover)
        return python
    python = sys.executable
    missing = [m for m in ("PySide6", "sqlalchemy", "pydantic", "libcst", "pygments", "alembic", "superqt", "openai")
               if not has_module(python, m)]
    if missing:
        raise SystemExit(f"build: this Python lacks {', '.join(missing)}; run `pip install -e \".[postgres]\"` "
                         "in the checkout first, or build with --venv")
    if not has_module(python, "PyInstaller"):
        run([python, "-m", "pip", "install", "-q", PYINSTALLER])
    return python


# Libraries Qt's X11 platform plugin loads that PyInstaller bundles only if the build machine has them.
XCB_LIBS = {"libxcb-cursor.so.0": "libxcb-cursor0", "libxcb-icccm.so.4": "libxcb-icccm4", "libxcb-keysyms.so.1": "libxcb-keysyms1"}


def warn_missing_system_libraries() -> None:
    if not sys.platform.startswith("linux") or not shutil.which("ldconfig"):
        return
    known = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True).stdout
    missing = [package for lib, package in XCB_LIBS.items() if lib not in known]
    if missing:
        log(f"warning: {', '.join(missing)} not installed here, so not bundled: the IDE will need them on X11 "
            f"desktops (apt-get install {' '.join(missing)} before building to bundle them)")


def freeze(python: str) -> None:
    run([python, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)], cwd=ROOT)


def strip_debug_info(folder: Path) -> int:
    """Drop DWARF debug sections from the bundle's ELF files that carry them (a Python built from source, as
    pyenv does, ships a libpython of 23 MB, 16 MB of it debug data); symbols stay, so tracebacks of crashes
    still name functions. Files without debug data (Qt, wheels repaired by auditwheel) are left untouched.
    Returns the bytes saved; 0 where binutils' strip and readelf are missing."""
    strip, readelf = shutil.which("strip"), shutil.which("readelf")
    if not (strip and readelf and sys.platform.startswith("linux")):
        return 0
    saved = 0
    for path in sorted(folder.rglob("*.so*")):
        if path.is_symlink() or not path.is_file():
            continue
        sections = subprocess.run([readelf, "-S", "-W", str(path)], capture_output=True, text=True).stdout
        if ".debug_info" not in sections:
            continue
        before = path.stat().st_size
        subprocess.run([strip, "--strip-debug", str(path)], check=True)
        saved += before - path.stat().st_size
    return saved


def smoke_test() -> None:
    """The frozen program answers, and its CLI knows the runtime commands."""
    program = BUNDLE / ("jitstudio.exe" if os.name == "nt" else "jitstudio")
    out = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=120)
    if out.returncode != 0 or "jitstudio" not in out.stdout:
        raise SystemExit(f"build: the bundle does not start: {out.stdout}{out.stderr}")
    out = subprocess.run([str(program), "--help"], capture_output=True, text=True, timeout=120)
    for command in ("check", "data", "event"):
        if command not in out.stdout:
            raise SystemExit(f"build: the bundle's CLI lacks `{command}`:\n{out.stdout}{out.stderr}")
    log(f"smoke test passed: {out.stdout.splitlines()[0] if out.stdout else ''}".rstrip(": "))


def size_of(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def mib(size: int) -> str:
    return f"{size / 2**20:.1f} MiB"


def tarball(ver: str) -> Path:
    """jitstudio-VERSION-linux-ARCH.tar.gz: the bundle at the top, share/ for the desktop, install.sh."""
    name = f"jitstudio-{ver}-linux-{platform.machine().lower()}"
    target = BUILD / f"{name}.tar.gz"

    def reset(info: tarfile.TarInfo) -> tarfile.TarInfo:
        info.uid = info.gid = 0
        info.uname = info.gname = ""
        return info

    share = [
        (LINUX / f"{APP_ID}.desktop", f"share/applications/{APP_ID}.desktop"),
        (LINUX / f"{APP_ID}.metainfo.xml", f"share/metainfo/{APP_ID}.metainfo.xml"),
        (ICONS / "jitstudio.svg", f"share/icons/hicolor/scalable/apps/{APP_ID}.svg"),
        *[(png, f"share/icons/hicolor/{size}x{size}/apps/{APP_ID}.png")
          for png in sorted(ICONS.glob("jitstudio-*.png")) for size in [png.stem.rsplit("-", 1)[1]]],
    ]
    with tarfile.open(target, "w:gz", compresslevel=6) as tar:
        for path in sorted(BUNDLE.iterdir()):
            tar.add(path, arcname=f"{name}/{path.name}", filter=reset)
        for source, arcname in share:
            tar.add(source, arcname=f"{name}/{arcname}", filter=reset)
        tar.add(LINUX / "install.sh", arcname=f"{name}/install.sh", filter=reset)
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", action="store_true", help="freeze in a fresh virtual environment (from PyPI)")
    parser.add_argument("--no-tarball", action="store_true", help="build the bundle folder only")
    args = parser.parse_args(argv)

    started = time.monotonic()
    ver = version()
    check_metadata(ver)
    BUILD.mkdir(exist_ok=True)
    python = freezer_python(args.venv)
    warn_missing_system_libraries()
    freeze(python)
    saved = strip_debug_info(BUNDLE)
    if saved:
        log(f"stripped {mib(saved)} of debug data")
    smoke_test()
    log(f"bundle {BUNDLE.relative_to(ROOT)}: {mib(size_of(BUNDLE))}")
    if not args.no_tarball and sys.platform.startswith("linux"):
        archive = tarball(ver)
        log(f"tarball {archive.relative_to(ROOT)}: {mib(size_of(archive))}")
    log(f"done in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
