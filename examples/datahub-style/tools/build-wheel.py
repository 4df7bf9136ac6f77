#!/usr/bin/env python3
"""Builds hubs/datahub/wheels/hubtools-0.1.0-py3-none-any.whl from hubs/datahub/python/ with the standard
library only (no pip, no network), reproducibly (fixed file times and order), and prints the lock line.

    python3 tools/build-wheel.py      # then paste the printed lines into hubs/datahub/requirements.lock

A real repository gets its wheels from PyPI with `pip-compile --generate-hashes`; this one stands in for them so
that `mvn verify` on the example needs no network.
"""
import base64
import hashlib
import pathlib
import zipfile

NAME, VERSION = "hubtools", "0.1.0"
ROOT = pathlib.Path(__file__).resolve().parent.parent / "hubs" / "datahub"
SOURCE = ROOT / "python"
WHEEL = ROOT / "wheels" / f"{NAME}-{VERSION}-py3-none-any.whl"
DIST_INFO = f"{NAME}-{VERSION}.dist-info"
FIXED_TIME = (2024, 1, 1, 0, 0, 0)


def record_hash(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def main():
    files = {}
    for path in sorted(SOURCE.rglob("*.py")):
        files[path.relative_to(SOURCE).as_posix()] = path.read_bytes()
    files[f"{DIST_INFO}/METADATA"] = (
        f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n"
        "Summary: Small helpers for DataHub notebooks\nRequires-Python: >=3.9\n").encode()
    files[f"{DIST_INFO}/WHEEL"] = (
        "Wheel-Version: 1.0\nGenerator: datahub-style/tools/build-wheel.py\nRoot-Is-Purelib: true\n"
        "Tag: py3-none-any\n").encode()
    record = "".join(f"{name},{record_hash(data)},{len(data)}\n" for name, data in files.items())
    files[f"{DIST_INFO}/RECORD"] = (record + f"{DIST_INFO}/RECORD,,\n").encode()
    WHEEL.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(WHEEL, "w", zipfile.ZIP_DEFLATED) as wheel:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            wheel.writestr(info, data)
    digest = hashlib.sha256(WHEEL.read_bytes()).hexdigest()
    print(f"{WHEEL.relative_to(ROOT.parent.parent)}")
    print(f"{NAME}=={VERSION} \\\n    --hash=sha256:{digest}\n    # via -r requirements.in")


if __name__ == "__main__":
    main()
