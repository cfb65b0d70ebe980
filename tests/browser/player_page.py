#!/usr/bin/env python3
"""Drives headless Chromium through chromedriver (plain W3C WebDriver over HTTP, standard
library only) against a player page written by seedaudio, and checks what a listener does:
seek by chapter, read captions, follow the transcript, use the keyboard, and that article
text never runs as script.

Usage: player_page.py EXPECT.json   (written by tests/player_page.rs)
Exit status 0 when every check passes; each failure is printed. With SEEDAUDIO_SCREENSHOTS=DIR
set, screenshots of the page (wide and 320 CSS px) are saved there for a person to look at.
"""

import base64

import functools
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"
ENTER = "\ue007"
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message, flush=True)
    if not condition:
        failures.append(message)
    return condition


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.session = None

    def call(self, method, path, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as e:
            value = json.load(e)["value"]
            raise RuntimeError(f"{method} {path}: {value.get('error')}: {value.get('message', '')[:300]}")

    def s(self, method, path, body=None):
        return self.call(method, f"/session/{self.session}{path}", body)

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def find(self, css):
        return self.s("POST", "/element", {"using": "css selector", "value": css})[ELEMENT]

    def wait_for(self, script, what, timeout=15.0):
        deadline = time.monotonic() + timeout
        value = None
        while time.monotonic() < deadline:
            value = self.js(script)
            if value:
                return value
            time.sleep(0.1)
        check(False, f"waited {timeout:.0f} s for {what} (last value {value!r})")
        return value


def start_chromedriver(profile):
    port = free_port()
    log = open(os.path.join(profile, "chromedriver.log"), "w")
    process = subprocess.Popen(["chromedriver", f"--port={port}"], stdout=log, stderr=subprocess.STDOUT)
    driver = WebDriver(port)
    for _ in range(100):
        try:
            if driver.call("GET", "/status").get("ready"):
                return process, driver
        except (OSError, RuntimeError):
            pass
        time.sleep(0.1)
    process.kill()
    raise RuntimeError("chromedriver did not start")


def open_session(driver, profile):
    binary = next((b for b in ["/usr/lib/chromium/chromium", "/usr/bin/chromium"] if os.path.exists(b)), None)
    options = {"args": [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        f"--user-data-dir={os.path.join(profile, 'chromium')}", "--autoplay-policy=no-user-gesture-required",
        "--window-size=1280,900",
    ]}
    if binary:
        options["binary"] = binary
    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome", "goog:chromeOptions": options, "goog:loggingPrefs": {"browser": "ALL"},
        "unhandledPromptBehavior": "ignore",
    }}}
    driver.session = driver.call("POST", "/session", caps)["sessionId"]


SHOWING_TRACK = """
  const audio = document.getElementById('audio');
  for (const t of audio.textTracks) if (t.mode === 'showing') return t;
  return null;
"""


def no_alert(driver):
    try:
        text = driver.s("GET", "/alert/text")
        return check(False, f"no alert is open (found {text!r})")
    except RuntimeError as e:
        return check("no such alert" in str(e), "no alert is open")


def seek_checks(driver, expect, label):
    """Clicks the third chapter and checks time, captions and the transcript highlight."""
    third = expect["third"]
    driver.js("document.getElementById('audio').muted = true;")
    button = driver.find("nav > ol > li:nth-of-type(3) > button")
    name = driver.js("return arguments[0].textContent", {ELEMENT: button})
    check(third["title"] in name, f"{label}: the third chapter button is {third['title']!r} (it reads {name!r})")
    driver.s("POST", f"/element/{button}/click", {})
    time_now = driver.js("""const a = document.getElementById('audio');
      return new Promise(done => { const read = () => { if (a.seeking) { setTimeout(read, 20); return; }
        a.pause(); done(a.currentTime); }; read(); });""")
    check(abs(time_now - third["start"]) <= 0.3,
          f"{label}: a click on the third chapter moves the audio to {third['start']:.3f} s (at {time_now:.3f} s)")
    current = driver.js("""const b = document.querySelector('nav button[aria-current="true"]');
      return b && b.dataset.mark;""")
    check(current == str(third["mark"]), f"{label}: that chapter is marked aria-current (marked: {current})")

    info = driver.wait_for("const t = (() => {" + SHOWING_TRACK + """})();
      return t && t.activeCues && t.activeCues.length > 0 && [...t.activeCues].map(c => c.getCueAsHTML().textContent);""",
                           "an active caption cue")
    check(info and third["cue_text"] in info,
          f"{label}: the showing caption track's active cue is {third['cue_text']!r} (active: {info!r})")
    caption = driver.js("return document.getElementById('caption').textContent")
    check(caption == third["cue_text"], f"{label}: the caption line under the player reads it ({caption!r})")

    highlighted = driver.js("""const b = document.querySelectorAll('button[data-cue][aria-current="true"]');
      if (b.length !== 1) return {count: b.length};
      const e = b[0];
      return {count: 1, index: Number(e.dataset.cue), text: e.querySelector('.text').textContent,
              border: parseFloat(getComputedStyle(e).borderInlineStartWidth),
              borderStyle: getComputedStyle(e).borderInlineStartStyle,
              marker: getComputedStyle(e, '::before').content,
              plainMarker: getComputedStyle(document.querySelector('button[data-cue]:not([aria-current])'), '::before').content};""")
    check(highlighted.get("count") == 1 and highlighted.get("index") == third["cue"],
          f"{label}: the transcript marks utterance {third['cue']} as current ({highlighted})")
    check(highlighted.get("text") == third["cue_text"], f"{label}: the highlighted utterance reads {third['cue_text']!r}")
    check(highlighted.get("border", 0) > 2 and highlighted.get("borderStyle") == "solid"
          and highlighted.get("marker") not in (None, "none", "normal")
          and highlighted.get("plainMarker") in ("none", "normal"),
          f"{label}: the highlight is a border and a marker, not only colour ({highlighted})")


def screenshot(driver, name):
    folder = os.environ.get("SEEDAUDIO_SCREENSHOTS")
    if folder:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, name), "wb") as f:
            f.write(base64.b64decode(driver.s("GET", "/screenshot")))


def run_file_page(driver, expect):
    page = "file://" + os.path.join(expect["dir"], "index.html")
    driver.s("POST", "/url", {"url": page})
    no_alert(driver)
    pwned = driver.js("return [window.__pwned === undefined ? null : window.__pwned, document.title]")
    check(pwned[0] is None, f"no article text ran as script (window.__pwned = {pwned[0]!r})")
    check(pwned[1] == expect["title"], f"the page title is the article title as text ({pwned[1]!r})")
    h1 = driver.js("return document.querySelector('h1').textContent")
    check(h1 == expect["title"], f"the heading shows the escaped title literally ({h1!r})")
    ran = driver.js("""return {script: !document.getElementById('follow-row').hidden,
      style: getComputedStyle(document.querySelector('.vh')).position}""")
    check(ran["script"], "the inline script ran under the page's Content-Security-Policy (script hash)")
    check(ran["style"] == "absolute", "the inline style applied under the Content-Security-Policy (style hash)")

    duration = driver.wait_for("const a = document.getElementById('audio'); return a.readyState >= 1 && a.duration;",
                               "the audio's metadata")
    check(duration and abs(duration - expect["duration"]) < 0.05,
          f"the audio loads from file:// under the policy ({duration} s, track says {expect['duration']} s)")
    info = driver.wait_for("const t = (() => {" + SHOWING_TRACK + "})(); return t && t.cues && t.cues.length;",
                           "a showing caption track with cues")
    check(info == len(expect["cues"]), f"a caption track is showing with every cue ({info} of {len(expect['cues'])})")

    landmarks = driver.js("""return {main: document.querySelectorAll('main').length,
      nav: document.querySelector('nav') && document.querySelector('nav').getAttribute('aria-labelledby'),
      navName: document.getElementById('chapters-heading').textContent,
      lang: document.documentElement.lang,
      buttons: document.querySelectorAll('nav button, section button').length,
      nonButtons: document.querySelectorAll('[onclick], [tabindex]').length}""")
    check(landmarks["main"] == 1 and landmarks["nav"] == "chapters-heading", f"landmarks: one main, a named nav ({landmarks})")
    check(landmarks["lang"] == expect["lang"], f"the page language is {expect['lang']!r}")
    check(landmarks["buttons"] == len(expect["cues"]) + expect["marks"] and landmarks["nonButtons"] == 0,
          "every seek control is a real button (no click handlers on other elements, no tabindex)")

    seek_checks(driver, expect, "file://")
    screenshot(driver, "player-top.png")

    # Keyboard: focus an utterance in the transcript and press Enter.
    key = expect["keyboard"]
    button = driver.find(f'button[data-cue="{key["cue"]}"]')
    driver.s("POST", f"/element/{button}/value", {"text": ENTER})
    time_now = driver.js("""const a = document.getElementById('audio');
      return new Promise(done => { const read = () => { if (a.seeking) { setTimeout(read, 20); return; }
        a.pause(); done(a.currentTime); }; read(); });""")
    check(abs(time_now - key["start"]) <= 0.3,
          f"Enter on utterance {key['cue']} seeks to {key['start']:.3f} s (at {time_now:.3f} s)")
    focused = driver.js("return document.activeElement && document.activeElement.dataset.cue")
    check(focused == str(key["cue"]), "focus stays on the utterance that was activated")

    # Following the transcript is opt-in; reduced motion scrolls without animation.
    driver.js("""window.__scrolls = [];
      Element.prototype.scrollIntoView = function (o) { window.__scrolls.push(o ? o.behavior : 'default'); };""")

    def scrolls_after_seek(to, wait):
        driver.js("window.__scrolls = []; document.getElementById('audio').currentTime = arguments[0];", to)
        if wait:
            return driver.wait_for("return window.__scrolls.length > 0 && window.__scrolls", "a transcript scroll", 5)
        time.sleep(0.5)
        return driver.js("return window.__scrolls")

    first, last = expect["cue_starts"][0], expect["cue_starts"][-1]
    check(not driver.js("return document.getElementById('follow').checked"), "following the transcript starts off")
    check(scrolls_after_seek(last, False) == [], "while following is off the transcript does not scroll")
    driver.s("POST", f"/element/{driver.find('#follow')}/click", {})
    check(scrolls_after_seek(first, True) == ["smooth"], "once turned on, the transcript follows with a smooth scroll")
    driver.s("POST", "/goog/cdp/execute", {"cmd": "Emulation.setEmulatedMedia", "params": {
        "features": [{"name": "prefers-reduced-motion", "value": "reduce"}]}})
    check(scrolls_after_seek(last, True) == ["auto"], "under prefers-reduced-motion the transcript jumps without animation")

    # Reflow: at 320 CSS pixels wide (a 1280 px window at 400 % zoom) nothing scrolls sideways.
    screenshot(driver, "player-wide.png")
    driver.s("POST", "/window/rect", {"width": 320, "height": 800})
    screenshot(driver, "player-320.png")
    widths = driver.js("return [document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    check(widths[0] <= widths[1], f"no horizontal scrolling at 320 CSS px (scroll {widths[0]}, view {widths[1]})")
    no_alert(driver)
    check(driver.js("return window.__pwned === undefined"), "still no article text ran as script")


class RangeHandler(http.server.SimpleHTTPRequestHandler):
    """Serves the output folder like a web server would: with byte ranges, which browsers
    need to seek in audio (Python's own handler ignores `Range`)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".vtt": "text/vtt", ".wav": "audio/wav"}

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.translate_path(self.path)
        spec = self.headers.get("Range", "")
        if not os.path.isfile(path) or not spec.startswith("bytes="):
            return super().do_GET()
        size = os.path.getsize(path)
        first, _, last = spec[len("bytes="):].split(",")[0].partition("-")
        start = int(first) if first else max(0, size - int(last))
        end = min(int(last), size - 1) if first and last else size - 1
        if start >= size or start > end:
            self.send_response(416)
            self.send_header("Content-Range", f"bytes */{size}")
            self.end_headers()
            return
        self.send_response(206)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Accept-Ranges", "bytes")
        self.send_header("Content-Range", f"bytes {start}-{end}/{size}")
        self.send_header("Content-Length", str(end - start + 1))
        self.end_headers()
        with open(path, "rb") as f:
            f.seek(start)
            remaining = end - start + 1
            try:
                while remaining > 0:
                    chunk = f.read(min(65536, remaining))
                    if not chunk:
                        break
                    self.wfile.write(chunk)
                    remaining -= len(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser had what it needed


class QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        pass  # browsers drop media connections they no longer need


def run_http_page(driver, expect):
    """The same page served over HTTP: the browser loads the WebVTT file itself, so this
    checks that a real WebVTT parser reads every cue of it."""
    server = QuietServer(("127.0.0.1", 0), functools.partial(RangeHandler, directory=expect["dir"]))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        driver.s("POST", "/window/rect", {"width": 1280, "height": 900})
        driver.s("POST", "/url", {"url": f"http://127.0.0.1:{server.server_address[1]}/index.html"})
        count = driver.wait_for("""const t = document.querySelector('track');
          return t.readyState === 2 && t.track.mode === 'showing' && t.track.cues.length;""",
                                "the <track> element's WebVTT file to load")
        check(count == len(expect["cues"]), f"http: the WebVTT file loads with every cue ({count} of {len(expect['cues'])})")
        texts = driver.js("return [...document.querySelector('track').track.cues].map(c => [c.id, c.startTime, c.endTime, c.getCueAsHTML().textContent])")
        want = [[c["id"], c["start"], c["end"], c["text"]] for c in expect["cue_data"]]
        same = texts is not None and len(texts) == len(want) and all(
            a[0] == b[0] and abs(a[1] - b[1]) < 0.0011 and abs(a[2] - b[2]) < 0.0011 and a[3] == b[3]
            for a, b in zip(texts, want))
        check(same, "http: Chromium's WebVTT parser reads back every cue's id, times and text")
        index = driver.js("return [...document.getElementById('audio').textTracks].indexOf(document.querySelector('track').track)")
        check(index == 0, "http: the <track> element's own track is the first text track")
        seek_checks(driver, expect, "http")
    finally:
        server.shutdown()


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        expect = json.load(f)
    profile = tempfile.mkdtemp(prefix="seedaudio-chromium-")
    process, driver = start_chromedriver(profile)
    try:
        open_session(driver, profile)
        try:
            run_file_page(driver, expect)
            run_http_page(driver, expect)
            try:
                logs = driver.s("POST", "/se/log", {"type": "browser"})
            except RuntimeError:
                logs = []
            csp = [e["message"] for e in logs if "Content Security Policy" in e.get("message", "")]
            for line in logs:
                print("browser log:", line.get("level"), line.get("message", "")[:300])
            check(not csp, f"no Content-Security-Policy violations ({csp})")
        finally:
            driver.call("DELETE", f"/session/{driver.session}")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        shutil.rmtree(profile, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed", flush=True)
        sys.exit(1)
    print("all checks passed", flush=True)


if __name__ == "__main__":
    main()
