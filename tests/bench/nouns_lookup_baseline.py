#!/usr/bin/python3
"""nouns_lookup_baseline.py — the baseline a model of German nouns' gender has
to beat: a lookup of each test word's longest ending that a training word
ends with (the majority gender among those training words).

It reads Debian's dict-freedict-deu-eng as the engine does (one-word nouns of
one gender; a word's split by the first 8 bytes of its SHA-256 as a fraction
of 2**64, below 0.1 a test word; the 5,000 training words with the smallest
hashes validate, so they are not looked up) and prints the test accuracy.

    /usr/bin/python3 tests/bench/nouns_lookup_baseline.py [DICT.dict.dz] [--test-fraction F] [--validation N]
"""
import argparse
import collections
import gzip
import hashlib
import re

ap = argparse.ArgumentParser()
ap.add_argument("dict", nargs="?", default="/usr/share/dictd/freedict-deu-eng.dict.dz")
ap.add_argument("--test-fraction", type=float, default=0.1)
ap.add_argument("--validation", type=int, default=5000)
args = ap.parse_args()

headword = re.compile(r"^(\S[^ /]*) /([^/]*)/ <([^>]*)>$")
genders, several = collections.defaultdict(set), set()
with gzip.open(args.dict, "rt", encoding="utf-8", errors="replace") as f:
    for line in f:
        m = headword.match(line.rstrip("\n"))
        if not m:
            continue
        tags = [t.strip() for t in m.group(3).split(",")]
        g = {t for t in tags if t in ("masc", "fem", "neut")}
        if "n" in tags and "sg" in tags and g:
            if len(g) > 1:
                several.add(m.group(1))
            genders[m.group(1)] |= g
words = [w for w, g in genders.items() if len(g) == 1 and w not in several]
frac = lambda w: int.from_bytes(hashlib.sha256(w.encode()).digest()[:8], "big") / 2.0 ** 64
test = [w for w in words if frac(w) < args.test_fraction]
train = sorted((w for w in words if frac(w) >= args.test_fraction), key=frac)[args.validation:]
gender = {w: next(iter(genders[w])) for w in words}
endings = collections.defaultdict(collections.Counter)
for w in train:
    for i in range(len(w)):
        endings[w[i:]][gender[w]] += 1
majority = collections.Counter(gender[w] for w in train).most_common(1)[0][0]
right = 0
for w in test:
    found = next((endings[w[i:]] for i in range(1, len(w)) if w[i:] in endings), None)
    right += (found.most_common(1)[0][0] if found else majority) == gender[w]
print(f"{len(words)} nouns, {len(train)} looked up, {len(test)} test words: "
      f"the longest-ending lookup gets {100 * right / len(test):.2f}% of the genders right")
