/**
 * Charts drawn on the server as SVG: nothing loaded from elsewhere, no script, and each
 * chart named for screen readers, with its figures also in a table beside it.
 */

/** Kept in step with the .swatch-N colours in head-office.css (no inline styles: the CSP forbids them). */
export const palette = ['#2b233d', '#1d7a46', '#b05a00', '#0b5cab', '#b00020'];

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * Ticks for a count axis: whole numbers from 0, in steps of 1, 2 or 5 times a power of ten,
 * at most five of them, the last at or above `max` (the axis's top). Never "7.5 nudges".
 */
export function countTicks(max: number): number[] {
  const rough = Math.max(1, Math.ceil(max)) / 4;
  const magnitude = 10 ** Math.floor(Math.log10(Math.max(1, rough)));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= rough)!;
  const top = Math.max(step, Math.ceil(max / step) * step);
  return Array.from({ length: top / step + 1 }, (_, i) => i * step);
}

/** A month's name on the time axis: "Sept" at 13px is about 30 units wide; labels start 36 apart at least. */
const monthLabelWidth = 30;
const monthLabelGap = 36;

/**
 * The weeks whose month label is drawn: the first week of each month, then only those far
 * enough from the last label drawn, and from the chart's right edge, not to touch. A first
 * label a week or two before the next month's gives way to it.
 */
export function monthLabels(weeks: string[], x: (i: number) => number, rightEdge: number): Array<{ w: string; i: number }> {
  const starts = weeks.map((w, i) => ({ w, i })).filter(({ w }, k) => k === 0 || w.slice(5, 7) !== weeks[k - 1]!.slice(5, 7));
  const shown: Array<{ w: string; i: number }> = [];
  for (const tick of starts) {
    if (x(tick.i) + monthLabelWidth > rightEdge) break;
    const last = shown.at(-1);
    if (last && x(tick.i) - x(last.i) < monthLabelGap) {
      if (last.i === 0) shown.pop();
      else continue;
    }
    shown.push(tick);
  }
  return shown;
}

export function BarChart(props: { id: string; title: string; bars: Array<{ label: string; value: number }> }) {
  const max = Math.max(1, ...props.bars.map((b) => b.value));
  const rowHeight = 26;
  const labelWidth = 120;
  const width = 480;
  const height = props.bars.length * rowHeight + 8;
  return (
    <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${props.id}-title`} preserveAspectRatio="xMinYMin meet">
      <title id={`${props.id}-title`}>{props.title}</title>
      {props.bars.map((bar, i) => {
        const w = Math.round(((width - labelWidth - 50) * bar.value) / max);
        const y = i * rowHeight + 4;
        return (
          <g>
            <text x={labelWidth - 6} y={y + 16} text-anchor="end" class="chart-label">
              {bar.label}
            </text>
            <rect x={labelWidth} y={y + 3} width={Math.max(bar.value > 0 ? 2 : 0, w)} height={rowHeight - 8} fill={palette[0]} />
            <text x={labelWidth + w + 6} y={y + 16} class="chart-value">
              {fmt(bar.value)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

export interface Line {
  label: string;
  values: Array<number | undefined>;
  dashed?: boolean;
}

/** Weekly lines on one scale; gaps where a value is unknown. `percent` labels the axis 0–100%. */
export function LineChart(props: { id: string; title: string; weeks: string[]; lines: Line[]; percent?: boolean }) {
  const width = 640;
  const height = 220;
  const left = 44;
  const bottom = 28;
  const top = 10;
  const right = 10;
  const all = props.lines.flatMap((l) => l.values.filter((v): v is number => v !== undefined));
  const ticks = props.percent ? [0, 0.25, 0.5, 0.75, 1] : countTicks(Math.max(1, ...all));
  const max = ticks.at(-1)!;
  const x = (i: number) => left + ((width - left - right) * i) / Math.max(1, props.weeks.length - 1);
  const y = (v: number) => top + (height - top - bottom) * (1 - v / max);
  const path = (values: Line['values']) => {
    let d = '';
    values.forEach((v, i) => {
      if (v === undefined) return;
      d += `${d && values[i - 1] !== undefined ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)} `;
    });
    return d.trim();
  };
  const monthTicks = monthLabels(props.weeks, x, width);
  return (
    <figure class="chart-figure">
      <svg class="chart" viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${props.id}-title`} preserveAspectRatio="xMinYMin meet">
        <title id={`${props.id}-title`}>{props.title}</title>
        {ticks.map((t) => (
          <g>
            <line x1={left} x2={width - right} y1={y(t)} y2={y(t)} class="chart-grid" />
            <text x={left - 4} y={y(t) + 4} text-anchor="end" class="chart-axis">
              {props.percent ? `${Math.round(t * 100)}%` : fmt(t)}
            </text>
          </g>
        ))}
        {monthTicks.map(({ w, i }) => (
          <text x={x(i)} y={height - 8} class="chart-axis">
            {new Date(`${w}T12:00:00Z`).toLocaleDateString('en-GB', { month: 'short', timeZone: 'UTC' })}
          </text>
        ))}
        {props.lines.map((line, i) => (
          <path d={path(line.values)} fill="none" stroke={palette[i % palette.length]} stroke-width="2.5" stroke-dasharray={line.dashed ? '6 4' : undefined} />
        ))}
      </svg>
      <figcaption class="chart-key">
        {props.lines.map((line, i) => (
          <span>
            <span class={`swatch swatch-${i % palette.length}${line.dashed ? ' dashed' : ''}`} aria-hidden="true" /> {line.label}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
