"""The Python half of scripts/kokoro-reference (run by its venv's python; see that script).

    kokoro-reference.py --lang zh|en (--text TEXT | --text-file FILE) --out OUT.wav
                        [--voice NAME] [--speed S] [--json]

KOKORO_INSTALL is the install folder (kokoro-v1.0.int8.onnx, voices/NAME.bin).
"""

import argparse
import hashlib
import json
import logging
import os
import re
import sys
import tempfile
import time
import wave

VOICES = {"zh": "zf_xiaobei", "en": "af_heart"}
GAP_S = 0.5
ROWS, WIDTH = 510, 256


def lines_of(text):
    text = re.sub(r"##paid(begin|end)##", "", text, flags=re.IGNORECASE)
    out = []
    for line in text.splitlines():
        line = re.sub(r"^\s*#+\s*", "", line).strip()
        if line:
            out.append(line)
    return out


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def main(argv):
    p = argparse.ArgumentParser(prog="scripts/kokoro-reference synth")
    p.add_argument("--lang", choices=["zh", "en"], required=True)
    g = p.add_mutually_exclusive_group(required=True)
    g.add_argument("--text")
    g.add_argument("--text-file")
    p.add_argument("--out", required=True)
    p.add_argument("--voice")
    p.add_argument("--speed", type=float, default=1.0)
    p.add_argument("--json", action="store_true")
    a = p.parse_args(argv)

    if a.text_file is not None:
        with open(a.text_file, encoding="utf-8-sig") as f:
            text = f.read()
    else:
        text = a.text
    lines = lines_of(text)
    if not lines:
        raise SystemExit("kokoro-reference: error: the text is empty")
    voice = a.voice or VOICES[a.lang]
    install = os.environ["KOKORO_INSTALL"]
    model_path = os.path.join(install, "kokoro-v1.0.int8.onnx")
    voice_path = os.path.join(install, "voices", voice + ".bin")
    if not os.path.isfile(voice_path):
        raise SystemExit(f"kokoro-reference: error: voice {voice} is not installed ({voice_path})")

    t0 = time.perf_counter()
    import numpy as np
    from kokoro_onnx import Kokoro

    # kokoro-onnx reads its voices from a .npz of NAME -> (510, 1, 256) arrays; ours are raw
    # little-endian f32 tables of 510 x 256, so write the one needed into a temporary .npz.
    table = np.fromfile(voice_path, dtype="<f4")
    if table.size != ROWS * WIDTH:
        raise SystemExit(f"kokoro-reference: error: {voice_path} holds {table.size} floats, not {ROWS * WIDTH}")
    with tempfile.TemporaryDirectory(prefix="kokoro-ref-") as tmp:
        npz = os.path.join(tmp, "voices.npz")
        np.savez(npz, **{voice: table.reshape(ROWS, 1, WIDTH)})
        kokoro = Kokoro(model_path, npz)
        style = kokoro.get_voice_style(voice)
    g2p = None
    if a.lang == "zh":
        import jieba
        from misaki.zh import ZHG2P

        jieba.setLogLevel(logging.ERROR)
        jieba.initialize()
        g2p = ZHG2P()
    t1 = time.perf_counter()

    parts = []
    gap = np.zeros(int(GAP_S * 24000), dtype=np.float32)
    for i, line in enumerate(lines):
        if g2p is not None:
            phonemes, _ = g2p(line)
            audio, rate = kokoro.create(phonemes, voice=style, speed=a.speed, is_phonemes=True)
        else:
            audio, rate = kokoro.create(line, voice=style, speed=a.speed, lang="en-us")
        assert rate == 24000
        if i:
            parts.append(gap)
        parts.append(np.asarray(audio, dtype=np.float32))
    audio = np.concatenate(parts)
    t2 = time.perf_counter()

    pcm = (np.clip(audio, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(a.out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(24000)
        w.writeframes(pcm.tobytes())

    stats = {
        "load_s": round(t1 - t0, 3),
        "synth_s": round(t2 - t1, 3),
        "total_s": round(t2 - t0, 3),
        "audio_s": round(len(audio) / 24000, 3),
        "lines": len(lines),
        "chars": sum(len(line) for line in lines),
        "voice": voice,
        "model_sha256": sha256(model_path),
    }
    print(f"kokoro-reference: {stats['lines']} lines, {stats['chars']} chars -> {stats['audio_s']:.1f}s audio "
          f"({a.out}); load {stats['load_s']:.2f}s, synthesis {stats['synth_s']:.2f}s, "
          f"real-time factor {stats['synth_s'] / max(stats['audio_s'], 1e-9):.2f}", file=sys.stderr)
    if a.json:
        print(json.dumps(stats))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
