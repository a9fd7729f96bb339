"""Agreement between two labellings of one set: `agree.py FIRST/truth.jsonl SECOND.jsonl`.

Scores the second labelling's (application module, counterpart) pairs against the first's, as the
detector is scored (precision, recall, F1), with and without application-to-application pairs.
check9/truth.second.jsonl and check10/truth.second.jsonl were labelled from the three input files
alone, by a second engineer who saw neither the first labels nor the detector (docs/dedup.md,
"Session 4")."""
import json
import sys


def pairs(path):
    out = set()
    for line in open(path, encoding="utf-8"):
        d = json.loads(line)
        for o in d["overlaps"]:
            out.add((d["application_id"], d["module"], o["kind"], o["id"], o.get("module")))
    return out


def prf(truth, pred):
    tp = len(truth & pred)
    p = tp / len(pred) if pred else 0.0
    r = tp / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


if __name__ == "__main__":
    first, second = pairs(sys.argv[1]), pairs(sys.argv[2])
    print("%d pairs in the first, %d in the second, %d agree" % (len(first), len(second), len(first & second)))
    print("P=%.3f R=%.3f F1=%.3f" % prf(first, second))
    no_apps = lambda s: {x for x in s if x[2] != "application"}  # noqa: E731
    print("without application counterparts: P=%.3f R=%.3f F1=%.3f" % prf(no_apps(first), no_apps(second)))
