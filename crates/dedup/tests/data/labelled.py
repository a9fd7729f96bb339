"""Shared by the labelled-set scripts (devset.py, check2set.py … check10set.py): module strings with labels
("name@tag1+tag2", "name::description@tag") and the writer of a set's four JSON Lines files
(systems, capabilities, applications, truth). A shared tag is a true overlap."""
import json, os, sys


def split(m):
    if "@" in m:
        name, tags = m.split("@", 1)
        tags = set(tags.split("+"))
    else:
        name, tags = m, set()
    if "::" in name:
        name, desc = name.split("::", 1)
        return name, desc, tags
    return name, None, tags


def module_json(name, desc):
    return name if desc is None else {"name": name, "description": desc}


def write(out_dir, systems, caps, apps):
    os.makedirs(out_dir, exist_ok=True)
    items = []
    with open(os.path.join(out_dir, "systems.jsonl"), "w") as f:
        for sid, dept, name, desc, mods in systems:
            ms = []
            for m in mods:
                n, d, t = split(m)
                ms.append(module_json(n, d))
                items.append(("system", sid, n, t))
            f.write(json.dumps({"id": sid, "name": name, "department": dept, "description": desc, "modules": ms}, ensure_ascii=False) + "\n")
    with open(os.path.join(out_dir, "capabilities.jsonl"), "w") as f:
        for cid, name, desc in caps:
            d, _, t = split(desc)
            items.append(("capability", cid, None, t))
            f.write(json.dumps({"id": cid, "name": name, "description": d}, ensure_ascii=False) + "\n")
    app_items = []
    with open(os.path.join(out_dir, "applications.jsonl"), "w") as f:
        for aid, dept, name, desc, mods in apps:
            ms = []
            for m in mods:
                n, d, t = split(m)
                ms.append(module_json(n, d))
                app_items.append(("application", aid, n, t))
            f.write(json.dumps({"id": aid, "name": name, "department": dept, "description": desc, "modules": ms}, ensure_ascii=False) + "\n")
    n_true = 0
    with open(os.path.join(out_dir, "truth.jsonl"), "w") as f:
        for kind, aid, mod, tags in app_items:
            truth = []
            for k2, i2, m2, t2 in items + app_items:
                if k2 == "application" and i2 == aid:
                    continue
                if tags & t2:
                    e = {"kind": k2, "id": i2}
                    if m2 is not None:
                        e["module"] = m2
                    truth.append(e)
            n_true += len(truth)
            f.write(json.dumps({"application_id": aid, "module": mod, "overlaps": truth}, ensure_ascii=False) + "\n")
    print(out_dir, len(systems), "systems", sum(len(s[4]) for s in systems), "modules;", len(caps), "capabilities;",
          len(apps), "applications", len(app_items), "modules;", n_true, "true pairs", file=sys.stderr)
