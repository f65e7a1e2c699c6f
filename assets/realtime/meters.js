// Input and output loudness, drawn straight into two bars: no round trip to Python.
import { createElement as h } from "react";
import { audioContext } from "./audio_context.js";

// `bars`: {input, output}, React refs to the bars' inner elements.
export function makeMeters(bars) {
  const context = audioContext();
  context.resume().catch(() => {}); // made before any click: it starts suspended
  const sources = [];
  let frame = null;
  const watch = (stream, bar) => {
    const source = context.createMediaStreamSource(stream);
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    sources.push({ source, analyser, bar, samples: new Float32Array(analyser.fftSize) });
    if (frame === null) frame = requestAnimationFrame(draw);
  };
  const draw = () => {
    for (const { analyser, bar, samples } of sources) {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const s of samples) sum += s * s;
      const level = Math.min(1, Math.sqrt(sum / samples.length) * 4);
      if (bar.current) bar.current.style.transform = `scaleX(${level.toFixed(3)})`;
    }
    frame = requestAnimationFrame(draw);
  };
  return {
    input: (stream) => watch(stream, bars.input),
    output: (stream) => watch(stream, bars.output),
    stop() {
      cancelAnimationFrame(frame);
      for (const { source, bar } of sources) {
        source.disconnect();
        if (bar.current) bar.current.style.transform = "scaleX(0)";
      }
    },
  };
}

const meterStyle = { flex: 1, height: "6px", borderRadius: "3px", background: "var(--gray-a4)", overflow: "hidden" };
const barStyle = (color) => ({ height: "100%", background: color, transform: "scaleX(0)", transformOrigin: "left", transition: "transform 60ms linear" });

// One labelled bar; `ref` receives the element makeMeters scales.
export function meter(label, testId, ref, color) {
  return h(
    "div",
    { style: { display: "flex", alignItems: "center", gap: "8px", minWidth: "8rem", flex: 1 } },
    h("span", { style: { fontSize: "12px", color: "var(--gray-11)", minWidth: "3.5rem" } }, label),
    h("div", { style: meterStyle, "data-testid": testId, "aria-hidden": "true" }, h("div", { ref, style: barStyle(color) })),
  );
}
