// WCAG 2 contrast of colours as getComputedStyle reports them (rgb(), rgba(), color(srgb ...)), so a test can
// check text against what it is drawn on in the page's actual theme.

/** Parses a computed colour into {r, g, b, a} with channels 0-255 and alpha 0-1; throws on anything else. */
export function parseColor(text) {
  const value = text.trim();
  let match = value.match(/^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+%?))?\s*\)$/);
  if (match) {
    const [r, g, b] = match.slice(1, 4).map(Number);
    return { r, g, b, a: alpha(match[4]) };
  }
  match = value.match(/^color\(srgb\s+([\d.e-]+)\s+([\d.e-]+)\s+([\d.e-]+)(?:\s*\/\s*([\d.]+%?))?\s*\)$/);
  if (match) {
    const [r, g, b] = match.slice(1, 4).map((c) => Number(c) * 255);
    return { r, g, b, a: alpha(match[4]) };
  }
  throw new Error(`Cannot read the colour "${text}": expected rgb(), rgba() or color(srgb ...)`);
}

function alpha(text) {
  if (text === undefined) return 1;
  return text.endsWith('%') ? Number(text.slice(0, -1)) / 100 : Number(text);
}

/** A colour drawn over an opaque one (alpha compositing), as the eye sees it. */
export function over(top, bottom) {
  const mix = (t, b) => t * top.a + b * (1 - top.a);
  return { r: mix(top.r, bottom.r), g: mix(top.g, bottom.g), b: mix(top.b, bottom.b), a: 1 };
}

function luminance({ r, g, b }) {
  const channel = (c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}

/**
 * Contrast ratio (1-21) of text over its background; `behind` (e.g. the page) is what shows through a
 * translucent background.
 */
export function contrastRatio(text, background, behind = 'rgb(255, 255, 255)') {
  const ground = over(parseColor(background), parseColor(behind));
  const ink = over(parseColor(text), ground);
  const [hi, lo] = [luminance(ink), luminance(ground)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}
