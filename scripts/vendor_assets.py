"""Copy the front-end assets kepu serves from the npm packages into src/kepu/static/vendor.

Museums run kepu on intranets, so nothing is loaded from a CDN: the files come from the npm
registry at install time (`npm ci`) and are served by Django like any other static file.
"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
TARGET = ROOT / "src" / "kepu" / "static" / "vendor"

FILES = {
    "htmx/htmx.min.js": "htmx.org/dist/htmx.min.js",
    "bootstrap/bootstrap.min.css": "bootstrap/dist/css/bootstrap.min.css",
    "bootstrap/bootstrap.min.css.map": "bootstrap/dist/css/bootstrap.min.css.map",
    "bootstrap/bootstrap.bundle.min.js": "bootstrap/dist/js/bootstrap.bundle.min.js",
    "bootstrap/bootstrap.bundle.min.js.map": "bootstrap/dist/js/bootstrap.bundle.min.js.map",
}


def main() -> int:
    missing = [source for source in FILES.values() if not (NODE_MODULES / source).is_file()]
    if missing:
        print("Missing npm files (run `npm ci` first): " + ", ".join(missing), file=sys.stderr)
        return 1
    for target, source in FILES.items():
        destination = TARGET / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(NODE_MODULES / source, destination)
    print(f"Copied {len(FILES)} front-end files into {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
