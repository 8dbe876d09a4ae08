#!/usr/bin/env python3
"""Builds tests/ner-news/news.jsonl from annotations.txt and the shared article files.

Each article is the opening of a BBC or TimeBank body: whole sentences up to 850 characters, or
with "## <id> paragraphs", whole paragraphs up to 900 characters (the text the annotator read),
referred to by id and byte length, never copied: the texts are not ours to redistribute.
Even-numbered articles form the dev half, odd-numbered ones the held-out half.
Usage: python3 tests/ner-news/build.py [../shared/data]
"""
import json, re, sys, pathlib

here = pathlib.Path(__file__).parent
data = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else here / "../../../shared/data")
files = {"bbc": data / "bbc/articles.jsonl", "tbaq-timebank": data / "timebank/tbaq-timebank.prepared.jsonl"}

def excerpt(body, limit=850):
    body = body.strip()
    if len(body) <= limit:
        return body
    cut = 0
    for m in re.finditer(r'[.!?]["”\']?(?=\s)', body):
        if m.end() > limit:
            break
        cut = m.end()
    return body[:cut] if cut else body[:limit]

def paragraphs(body, limit=900):
    """The first paragraph and those after it while the whole stays within `limit`."""
    paras = body.strip().split("\n\n")
    text = paras[0].strip()
    for p in paras[1:]:
        if len(text) + len(p.strip()) + 2 > limit:
            break
        text += "\n\n" + p.strip()
    return text

bodies = {}
for source, path in files.items():
    for line in open(path, encoding="utf-8"):
        a = json.loads(line)
        key = a["id"] if a["id"].startswith(source) else f"{source}/{a['id']}"
        bodies[key] = a["body"]

articles, current = [], None
for raw in open(here / "annotations.txt", encoding="utf-8"):
    line = raw.rstrip("\n")
    if line.startswith("## "):
        ident, _, rule = line[3:].strip().partition(" ")
        current = {"id": ident, "rule": rule or "sentences", "names": []}
        articles.append(current)
    elif line and not line.startswith("#"):
        parts = line.split("|")
        occ = {int(x) for x in parts[2].split(",")} if len(parts) > 2 else None
        current["names"].append((parts[0], parts[1], occ))

out = []
for index, art in enumerate(articles):
    body = bodies[art["id"]]
    text = paragraphs(body) if art["rule"] == "paragraphs" else excerpt(body)
    assert body.strip().startswith(text)
    taken = [False] * len(text)
    gold = []
    for surface, types, occ in sorted(art["names"], key=lambda n: -len(n[0])):
        kind, _, alt = types.partition("/")
        n, found = 0, False
        for m in re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text):
            if any(taken[m.start():m.end()]):
                continue
            n += 1
            if occ is not None and n not in occ:
                continue
            taken[m.start():m.end()] = [True] * (m.end() - m.start())
            b = lambda i: len(text[:i].encode("utf-8"))
            g = {"start": b(m.start()), "end": b(m.end()), "type": kind, "text": surface}
            if alt:
                g["alt"] = alt
            gold.append(g)
            found = True
        if not found:
            sys.exit(f"{art['id']}: {surface!r} not found")
    gold.sort(key=lambda g: g["start"])
    out.append({"id": art["id"], "split": "dev" if index % 2 == 0 else "heldout",
                "bytes": len(text.encode("utf-8")), "gold": gold})

with open(here / "news.jsonl", "w", encoding="utf-8") as f:
    for o in out:
        f.write(json.dumps(o, ensure_ascii=False) + "\n")
print(len(out), "articles,", sum(len(o["gold"]) for o in out), "names,",
      {s: sum(len(o["gold"]) for o in out if o["split"] == s) for s in ("dev", "heldout")})
