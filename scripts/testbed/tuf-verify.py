#!/usr/bin/python3
# An independent check of a TUF repository's signatures (DESIGN 2.7, issue 13): Debian's
# python3-securesystemslib verifies every signature of every metadata file over ITS OWN
# canonical JSON, with the keys the governing root names (a root also under the previous root's
# keys). Prints one JSON document: [{ "file", "keyid", "valid" }...]. Used by
# electron/core/signed-store/publish-signatures.itest.ts; nothing here shares code with the
# publishing script or tuf-js.
import json
import os
import re
import sys

from securesystemslib import formats, keys


def load(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))


def check(md, root_signed, role, name, out):
    data = formats.encode_canonical(md["signed"]).encode("utf-8")
    ids = set(root_signed["roles"][role]["keyids"])
    for sig in md["signatures"]:
        if sig["keyid"] not in ids:
            continue
        key = dict(root_signed["keys"][sig["keyid"]])
        key["keyid"] = sig["keyid"]
        try:
            valid = keys.verify_signature(key, sig, data)
        except Exception as e:  # a malformed key or signature is an invalid one
            print(f"{name}: {e}", file=sys.stderr)
            valid = False
        out.append({"file": name, "keyid": sig["keyid"], "valid": bool(valid)})


def main(meta_dir, tamper):
    out = []
    roots = sorted(int(m.group(1)) for m in (re.match(r"^(\d+)\.root\.json$", f) for f in os.listdir(meta_dir)) if m)
    prev = None
    for n in roots:
        md = load(os.path.join(meta_dir, f"{n}.root.json"))
        check(md, md["signed"], "root", f"{n}.root.json", out)
        if prev is not None:
            check(md, prev, "root", f"{n}.root.json (by root {n - 1})", out)
        prev = md["signed"]
    for role in ("targets", "snapshot", "timestamp"):
        md = load(os.path.join(meta_dir, f"{role}.json"))
        if tamper:
            md["signed"]["version"] += 1
        check(md, prev, role, f"{role}.json", out)
    print(json.dumps(out))


if __name__ == "__main__":
    main(sys.argv[1], len(sys.argv) > 2 and sys.argv[2] == "--tamper")
