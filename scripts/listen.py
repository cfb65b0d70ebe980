"""The Python half of scripts/listen (run by the listening venv's python; see scripts/listen).

    listen.py transcribe --lang zh|en FILE.wav [FILE.wav ...]
    listen.py score --lang zh|en (--reference TEXT | --reference-file FILE) [--json] FILE.wav ...

The model folder comes from LISTEN_MODEL, the thread count from LISTEN_THREADS.
"""

import argparse
import json
import os
import re
import sys
import unicodedata

BEAM = 5


def transcribe(files, lang):
    from faster_whisper import WhisperModel

    threads = int(os.environ.get("LISTEN_THREADS", "2"))
    model = WhisperModel(os.environ["LISTEN_MODEL"], device="cpu", compute_type="int8",
                         cpu_threads=threads, num_workers=1)
    texts = []
    for path in files:
        segments, _info = model.transcribe(
            path,
            language=lang,
            task="transcribe",
            beam_size=BEAM,
            temperature=0.0,
            condition_on_previous_text=False,
            vad_filter=False,
            without_timestamps=False,
        )
        texts.append("".join(s.text for s in segments).strip())
    return ("" if lang == "zh" else " ").join(texts)


def _simplified(text):
    import opencc

    return opencc.OpenCC("t2s").convert(text)


def _keep(c):
    """Letters and digits of any script count; punctuation, symbols and space do not."""
    return unicodedata.category(c)[0] in "LN"


def zh_units(text):
    """Characters of `text` in simplified form, lowercased, without punctuation or space."""
    return [c for c in _simplified(text).lower() if _keep(c)]


def en_units(text):
    """Words of `text`, lowercased, punctuation removed (an apostrophe inside a word stays,
    a hyphen separates), numbers as written."""
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    text = "".join(c if _keep(c) or c == "'" else " " for c in text)
    return [w.strip("'") for w in text.split() if w.strip("'")]


def distance(a, b):
    """Levenshtein distance between two sequences."""
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def score(reference, hypothesis, lang):
    units = zh_units if lang == "zh" else en_units
    ref, hyp = units(reference), units(hypothesis)
    if not ref:
        raise SystemExit("listen: error: the reference text has nothing to compare")
    errors = distance(ref, hyp)
    return {
        "metric": "cer" if lang == "zh" else "wer",
        "score": errors / len(ref),
        "errors": errors,
        "reference_units": len(ref),
        "hypothesis_units": len(hyp),
        "hypothesis": hypothesis,
    }


def main(argv):
    p = argparse.ArgumentParser(prog="scripts/listen")
    sub = p.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("transcribe")
    t.add_argument("--lang", choices=["zh", "en"], required=True)
    t.add_argument("files", nargs="+")
    s = sub.add_parser("score")
    s.add_argument("--lang", choices=["zh", "en"], required=True)
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--reference")
    g.add_argument("--reference-file")
    s.add_argument("--json", action="store_true")
    s.add_argument("files", nargs="+")
    a = p.parse_args(argv)
    for f in a.files:
        if not os.path.isfile(f):
            raise SystemExit(f"listen: error: {f}: no such file")
    text = transcribe(a.files, a.lang)
    if a.cmd == "transcribe":
        print(text)
        return 0
    if a.reference_file is not None:
        with open(a.reference_file, encoding="utf-8-sig") as f:
            reference = f.read()
    else:
        reference = a.reference
    # Markdown heading marks are not spoken
    reference = re.sub(r"(?m)^\s*#+\s*", "", reference)
    r = score(reference, text, a.lang)
    if a.json:
        print(json.dumps(r, ensure_ascii=False))
    else:
        print(f"heard: {text}", file=sys.stderr)
        print(f"{r['metric'].upper()} {r['score']:.4f} ({r['errors']}/{r['reference_units']})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
