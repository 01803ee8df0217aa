#!/usr/bin/env python3
"""Derives first.txt, last.txt and last_words.txt from the US Census 1990 name frequency files.

Usage: derive.py CENSUS_DIR [DICTIONARY]

CENSUS_DIR holds dist.male.first, dist.female.first and dist.all.last (the 1990 census files,
also shipped by the PyPI package "names" 0.3.0 under names/). DICTIONARY is a word list with one
word a line (default /usr/share/dict/american-english from the Debian package wamerican); only
its lowercase entries are used, to tell surnames that are also English words apart. The
dictionary itself is not copied into this repository.
"""
import os
import sys

FEMALE_KEEP = 3000   # the female list's tail is mostly one-off spellings
SURNAMES = 20000     # rank cut: beyond it surnames are rarer than 1 in 100,000 people

# Census entries that are function words, typos or fragments rather than given names.
JUNK_FIRST = set("""
an angelic angle aide blanch brain carry caprice cherish conception desire dimple dotty else era
fairy gala gay genie hang in jarred julienne lean lore man manual many marine marry marvel maxima
miss my novella numbers pa ma pasty pearly pinkie romaine rosy season see so son soon sparkle
tequila tiny viva yon yuk bee
""".split())

# Surnames that are function words: as the second word of a name they would pair a first name
# with ordinary prose ("Will do", "Grant her").
JUNK_LAST = set("""
an back big dear do early even few free he her high just large lo low more new of oh old ours
so still than to true way well will you
""".split())


def read(path):
    with open(path, encoding="ascii") as f:
        return [line.split() for line in f if line.strip()]


def main():
    census = sys.argv[1]
    dictionary = sys.argv[2] if len(sys.argv) > 2 else "/usr/share/dict/american-english"
    here = os.path.dirname(os.path.abspath(__file__))
    with open(dictionary, encoding="utf-8", errors="ignore") as f:
        words = {w.strip() for w in f if w.strip().islower() and "'" not in w}
    with open(os.path.join(here, "stop.txt"), encoding="utf-8") as f:
        stop = {w.strip() for w in f if w.strip() and not w.startswith("#")}

    first = []
    for row in read(os.path.join(census, "dist.male.first")):
        first.append(row[0].lower())
    for row in read(os.path.join(census, "dist.female.first"))[:FEMALE_KEEP]:
        first.append(row[0].lower())
    first = sorted({n for n in first if n not in JUNK_FIRST and n not in stop and len(n) > 1})

    last = [row[0].lower() for row in read(os.path.join(census, "dist.all.last"))[:SURNAMES]]
    last = [n for n in last if n not in JUNK_LAST and len(n) > 1]
    plain = sorted(n for n in last if n not in words)
    wordlike = sorted(n for n in last if n in words)

    for name, rows in [("first.txt", first), ("last.txt", plain), ("last_words.txt", wordlike)]:
        with open(os.path.join(here, name), "w", encoding="ascii") as f:
            f.write("\n".join(rows) + "\n")
        print(name, len(rows))


if __name__ == "__main__":
    main()
