// A 2D canvas context that records what is drawn (no DOM in unit tests): rectangles per fill, text
// with its position and colour. Text is 6 px per character.
import type { Canvas2D } from '../../../../renderer/charts/canvas/paint.js';

export interface FakeContext extends Canvas2D {
  readonly fills: { fill: string; rects: { x: number; y: number; w: number; h: number }[] }[];
  readonly strokes: { style: string; x: number; y: number; w: number; h: number }[];
  readonly texts: { text: string; x: number; y: number; color: string }[];
}

/** A fresh recording context. */
export function fakeContext(): FakeContext {
  let path: { x: number; y: number; w: number; h: number }[] = [];
  const ctx: FakeContext = {
    fillStyle: '#000000',
    strokeStyle: '#000000',
    lineWidth: 1,
    font: '',
    textBaseline: 'alphabetic',
    fills: [],
    strokes: [],
    texts: [],
    beginPath: () => {
      path = [];
    },
    rect: (x: number, y: number, w: number, h: number) => path.push({ x, y, w, h }),
    fill: () => ctx.fills.push({ fill: String(ctx.fillStyle), rects: path }),
    fillRect: (x: number, y: number, w: number, h: number) =>
      ctx.fills.push({ fill: String(ctx.fillStyle), rects: [{ x, y, w, h }] }),
    stroke: () => {},
    strokeRect: (x: number, y: number, w: number, h: number) =>
      ctx.strokes.push({ style: String(ctx.strokeStyle), x, y, w, h }),
    fillText: (text: string, x: number, y: number) => ctx.texts.push({ text, x, y, color: String(ctx.fillStyle) }),
    measureText: (text: string) => ({ width: text.length * 6 }),
    moveTo: () => {},
    lineTo: () => {},
    save: () => {},
    restore: () => {},
    setLineDash: () => {},
  };
  return ctx;
}
