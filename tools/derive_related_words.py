#!/usr/bin/env python3
"""Derive data/related-words.txt (stems of related words) from WordNet 3.0.

The grader credits a paraphrase when an answer word is listed as related to a key-point
word. This script writes that list: one line per Snowball (Porter2) stem of a WordNet
headword, `stem<TAB>related related ...`, where the related stems come from

  * synonyms: the other single-word lemmas of the headword's synsets;
  * for adjectives, the synsets linked by `&` (similar to, i.e. satellite adjectives);
  * for nouns and verbs, the derivationally related forms (`+` pointers) of the headword,
    which only add something when their stem differs (fail -> failure).

It is kept conservative, since a false synonym lets a wrong answer score:

  * only a headword's first two senses per part of speech (WordNet orders them by
    frequency), and of those only senses tagged at least once in the semantic concordance
    (tag count >= 1 in index.sense); headwords with no tagged sense get no line;
  * a synonym or similar adjective counts only when that word itself is tagged in that very
    synset (tag count >= 1 for its sense there), so a word is not related through a sense
    nobody uses it in;
  * no hypernyms, hyponyms or antonyms; no proper-noun senses or words (capitalised in
    the data files);
  * keys and values are ASCII lower-case letters only, at least 3 characters, and never a
    stop word (the list below); multi-word lemmas, digits, hyphens, apostrophes dropped;
  * at most 12 related stems per key: those from the most-tagged senses first (then the
    sense's rank, then synonyms before derived forms before similar adjectives, then
    alphabetical); each written list is sorted and deduplicated, lines sorted by key.

Output is deterministic (same inputs, same bytes).

Stemmer: the grader stems with Rust's rust-stemmers 1.2 `Algorithm::English`, generated
from Snowball before 3.0. snowballstemmer 3.x changed the English stemmer (for example
"organization" -> "organiz", "emergency" -> "emergenc"), so use snowballstemmer 2.x, whose
English tables are identical to rust-stemmers 1.2.0's. The script refuses a 3.x stemmer.

How to run (Debian/Ubuntu). Debian ships index.sense, which holds the tag counts, in its own
package, wordnet-sense-index; extract it into the same directory as wordnet-base. (The
cntlist.rev in wordnet-base is not a substitute: some of its sense keys are from an older
WordNet and no longer match.)

    cd /tmp && apt-get download wordnet-base wordnet-sense-index
    dpkg-deb -x wordnet-base_*.deb /tmp/wn
    dpkg-deb -x wordnet-sense-index_*.deb /tmp/wn
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install 'snowballstemmer>=2,<3'
    /tmp/venv/bin/python tools/derive_related_words.py /tmp/wn/usr/share/wordnet \\
        data/related-words.txt

The license of WordNet 3.0 (from /tmp/wn/usr/share/doc/wordnet-base/copyright) is in
data/WORDNET-LICENSE. Uses the Python standard library and snowballstemmer only.
"""

import os
import re
import sys

import snowballstemmer

STOP_WORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    yours yourself yourselves also get got may might must shall one two""".split()
)

POS_FILES = ("noun", "verb", "adj", "adv")
# Pointer / sense-key part-of-speech codes to the file they live in.
POS_OF_CODE = {"n": "noun", "v": "verb", "a": "adj", "s": "adj", "r": "adv"}
POS_OF_SS_TYPE = {"1": "noun", "2": "verb", "3": "adj", "4": "adv", "5": "adj"}

SENSES_PER_POS = 2
MAX_RELATED = 12
MIN_LEN = 3
# Ranking of relation kinds when a list is trimmed to MAX_RELATED.
SYNONYM, DERIVED, SIMILAR = 0, 1, 2

WORD = re.compile(r"[a-z]+\Z")
ADJ_MARKER = re.compile(r"\([a-z]+\)\Z")  # (a), (p), (ip) after adjective lemmas


def read_data(path):
    """offset -> (words, pointers); words are lemma forms as written (case kept),
    pointers are (symbol, target_pos, target_offset, source_index, target_index)."""
    synsets = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):  # license header
                continue
            fields = line.split(" | ", 1)[0].split()
            offset = int(fields[0])
            w_cnt = int(fields[3], 16)
            words = [ADJ_MARKER.sub("", fields[4 + 2 * i]) for i in range(w_cnt)]
            at = 4 + 2 * w_cnt
            p_cnt = int(fields[at])
            pointers = []
            for i in range(p_cnt):
                symbol, target, pos, src_tgt = fields[at + 1 + 4 * i : at + 5 + 4 * i]
                pointers.append(
                    (symbol, POS_OF_CODE[pos], int(target), int(src_tgt[:2], 16), int(src_tgt[2:], 16))
                )
            synsets[offset] = (words, pointers)
    return synsets


def read_index(path):
    """lemma -> synset offsets, most frequent sense first."""
    senses = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.startswith("  "):
                continue
            fields = line.split()
            lemma, synset_cnt, p_cnt = fields[0], int(fields[2]), int(fields[3])
            offsets = fields[6 + p_cnt : 6 + p_cnt + synset_cnt]
            senses[lemma] = [int(o) for o in offsets]
    return senses


def read_tag_counts(path):
    """(pos, offset, lemma) -> tag count, for senses tagged at least once (index.sense)."""
    counts = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            key, offset, _sense_number, tag_cnt = line.split()
            if int(tag_cnt) > 0:
                lemma, rest = key.split("%", 1)
                counts[(POS_OF_SS_TYPE[rest[0]], int(offset), lemma)] = int(tag_cnt)
    return counts


def main(argv):
    if len(argv) != 3:
        sys.exit(f"usage: {argv[0]} WORDNET_DICT_DIR OUTPUT_FILE")
    wordnet_dir, output = argv[1], argv[2]

    stemmer = snowballstemmer.stemmer("english")
    if stemmer.stemWord("organization") != "organ":
        sys.exit("snowballstemmer 3.x changed the English stemmer; install 'snowballstemmer<3'")
    stem_cache = {}

    def stem(word):
        if word not in stem_cache:
            stem_cache[word] = stemmer.stemWord(word)
        return stem_cache[word]

    data = {pos: read_data(os.path.join(wordnet_dir, f"data.{pos}")) for pos in POS_FILES}
    index = {pos: read_index(os.path.join(wordnet_dir, f"index.{pos}")) for pos in POS_FILES}
    tag_counts = read_tag_counts(os.path.join(wordnet_dir, "index.sense"))
    tagged_lemmas = {lemma for (_pos, _offset, lemma) in tag_counts}

    def usable(word):
        """A lemma form (as written in a data file) fit to be a key or a value."""
        return (
            WORD.match(word) is not None
            and word not in STOP_WORDS
            and word in tagged_lemmas
            and len(stem(word)) >= MIN_LEN
            and stem(word) not in STOP_WORDS
        )

    # key stem -> related stem -> best (lowest) rank
    related = {}
    for pos in POS_FILES:
        for lemma, offsets in index[pos].items():
            if not usable(lemma):
                continue
            key = stem(lemma)
            found = {}

            def add(word, rank):
                if usable(word):
                    value = stem(word)
                    if value != key and (value not in found or rank < found[value]):
                        found[value] = rank

            for sense_rank, offset in enumerate(offsets[:SENSES_PER_POS]):
                tag_cnt = tag_counts.get((pos, offset, lemma), 0)
                if tag_cnt < 1:
                    continue
                words, pointers = data[pos][offset]
                # The headword's place in the synset; a capitalised form is a proper noun.
                place = next((i for i, w in enumerate(words) if w == lemma), None)
                if place is None:
                    continue
                for i, word in enumerate(words):
                    if i != place:
                        if tag_counts.get((pos, offset, word), 0) < 1:
                            continue
                        add(word, (-tag_cnt, sense_rank, SYNONYM, stem(word)))
                for symbol, target_pos, target, source_index, target_index in pointers:
                    target_words = data[target_pos][target][0]
                    if symbol == "&" and pos == "adj":
                        for word in target_words:
                            if tag_counts.get((target_pos, target, word), 0) < 1:
                                continue
                            add(word, (-tag_cnt, sense_rank, SIMILAR, stem(word)))
                    elif symbol == "+" and pos in ("noun", "verb"):
                        if source_index == place + 1 and target_index > 0:
                            word = target_words[target_index - 1]
                            add(word, (-tag_cnt, sense_rank, DERIVED, stem(word)))

            merged = related.setdefault(key, {})
            for value, rank in found.items():
                if value not in merged or rank < merged[value]:
                    merged[value] = rank

    lines = [
        "# Related words for the grader: Snowball (Porter2) stem<TAB>stems of synonyms and derived forms.",
        "# Derived from WordNet 3.0 by tools/derive_related_words.py (frequent, tagged senses only).",
        "# WordNet 3.0 Copyright 2006 by Princeton University; see data/WORDNET-LICENSE.",
    ]
    for key in sorted(related, key=lambda k: k.encode()):
        ranked = sorted(related[key].items(), key=lambda item: item[1])[:MAX_RELATED]
        if ranked:
            values = sorted((value for value, _rank in ranked), key=lambda v: v.encode())
            lines.append(key + "\t" + " ".join(values))
    os.makedirs(os.path.dirname(os.path.abspath(output)), exist_ok=True)
    with open(output, "w", encoding="ascii", newline="\n") as f:
        f.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main(sys.argv)
