import type { Stats } from '../../shared/admin-schemas.ts';

const BAR = 8;
const GAP = 2;
const HEIGHT = 80;

/** "3 Mar" from "2026-03-03", in UTC like the server's days. */
const dayLabel = (day: string) =>
  new Date(`${day}T00:00:00Z`).toLocaleDateString('en', { day: 'numeric', month: 'short', timeZone: 'UTC' });

/**
 * Comments per day as bars, drawn as inline SVG. The drawing is hidden from assistive technology; the same
 * figures are in a visually hidden table, and a sentence sums them up for everyone.
 */
export function DayChart({ perDay }: { perDay: Stats['perDay'] }) {
  const max = Math.max(1, ...perDay.map((day) => day.count));
  const total = perDay.reduce((sum, day) => sum + day.count, 0);
  const busiest = perDay.reduce((best, day) => (day.count > (best?.count ?? 0) ? day : best), perDay[0]);
  const width = perDay.length * (BAR + GAP) - GAP;
  return (
    <figure class="chart">
      <figcaption>
        <h2>Comments per day</h2>
        <p class="dim chart-summary">
          {total} in the last 30 days
          {busiest &&
            busiest.count > 0 &&
            `; the busiest day was ${dayLabel(busiest.day)} with ${busiest.count}`}
          .
        </p>
      </figcaption>
      <div class="chart-frame">
        <span class="axis top dim" aria-hidden="true">
          {max}
        </span>
        <svg
          viewBox={`0 0 ${width} ${HEIGHT}`}
          preserveAspectRatio="none"
          aria-hidden="true"
          focusable="false"
        >
          <line class="base" x1="0" x2={width} y1={HEIGHT} y2={HEIGHT} />
          {perDay.map((day, i) => {
            const height = day.count === 0 ? 0 : Math.max(1, (day.count / max) * HEIGHT);
            return (
              <rect key={day.day} x={i * (BAR + GAP)} y={HEIGHT - height} width={BAR} height={height}>
                <title>
                  {dayLabel(day.day)}: {day.count}
                </title>
              </rect>
            );
          })}
        </svg>
        <span class="axis dim" aria-hidden="true">
          <span>{perDay[0] && dayLabel(perDay[0].day)}</span>
          <span>{perDay.at(-1) && dayLabel(perDay.at(-1)?.day ?? '')}</span>
        </span>
      </div>
      {/* Wrapped: a table ignores the height that clips `.sr`, and would lengthen the page by all its rows. */}
      <div class="sr">
        <table>
          <caption>Comments per day, last 30 days</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Comments</th>
            </tr>
          </thead>
          <tbody>
            {perDay.map((day) => (
              <tr key={day.day}>
                <th scope="row">{dayLabel(day.day)}</th>
                <td>{day.count}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
