"use strict";
(() => {
  const data = JSON.parse(document.getElementById("seedaudio-data").textContent);
  const audio = document.getElementById("audio");
  const trackElement = audio.querySelector("track");
  const caption = document.getElementById("caption");
  const follow = document.getElementById("follow");
  const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");
  document.getElementById("follow-row").hidden = false;

  const byIndex = (selector, key) => {
    const list = [];
    for (const element of document.querySelectorAll(selector)) list[Number(element.dataset[key])] = element;
    return list;
  };
  const cueButtons = byIndex("button[data-cue]", "cue");
  const markButtons = byIndex("button[data-mark]", "mark");

  const seek = (time) => {
    audio.currentTime = time;
    const playing = audio.play();
    if (playing) playing.catch(() => {});
  };
  markButtons.forEach((button, i) => button.addEventListener("click", () => seek(data.marks[i].start)));
  cueButtons.forEach((button, i) => button.addEventListener("click", () => seek(data.cues[i].start)));

  // The last item that has begun at `time` (items are in time order); -1 before the first.
  const begun = (items, time) => {
    let low = 0;
    let high = items.length - 1;
    let found = -1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      if (items[mid].start <= time + 0.05) {
        found = mid;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found;
  };
  const current = { cue: -1, mark: -1 };
  const moveCurrent = (buttons, key, index) => {
    if (current[key] === index) return false;
    if (current[key] >= 0) buttons[current[key]].removeAttribute("aria-current");
    if (index >= 0) buttons[index].setAttribute("aria-current", "true");
    current[key] = index;
    return index >= 0;
  };
  // Following is opt-in: scrolling the page on its own would move content away from what a
  // reader or a keyboard user is looking at.
  const update = (scroll) => {
    const time = audio.currentTime;
    if (moveCurrent(cueButtons, "cue", begun(data.cues, time)) && scroll && follow.checked) {
      cueButtons[current.cue].scrollIntoView({ block: "nearest", behavior: reduceMotion.matches ? "auto" : "smooth" });
    }
    moveCurrent(markButtons, "mark", begun(data.marks, time));
  };
  for (const event of ["timeupdate", "seeking", "seeked"]) audio.addEventListener(event, () => update(true));

  // The caption line under the player shows the cues the text track says are active.
  const showCaptions = (track) => {
    const refresh = () => {
      const lines = [];
      for (const cue of track.activeCues || []) lines.push(cue.getCueAsHTML().textContent);
      caption.textContent = lines.join(" ");
    };
    track.addEventListener("cuechange", refresh);
    refresh();
  };
  // Pages opened from file:// may not load the WebVTT file (browsers treat each local file
  // as its own origin): the same cues are then added from the data in the page.
  const escapeCueText = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  let replaced = false;
  const useEmbeddedCues = () => {
    if (replaced || typeof VTTCue !== "function") return;
    replaced = true;
    trackElement.track.mode = "disabled";
    const track = audio.addTextTrack("captions", trackElement.label, trackElement.srclang);
    for (const cue of data.cues) track.addCue(new VTTCue(cue.start, cue.end, escapeCueText(cue.text)));
    track.mode = "showing";
    showCaptions(track);
  };
  if (trackElement.readyState === HTMLTrackElement.ERROR) {
    useEmbeddedCues();
  } else {
    trackElement.addEventListener("error", useEmbeddedCues);
    showCaptions(trackElement.track);
  }
  update(false);
})();
