/** A one-line progress bar with rate and ETA on a TTY (stderr); silent elsewhere. */
export class ProgressBar {
  private readonly start = performance.now();
  private last = 0;
  private readonly enabled: boolean;

  constructor(
    private readonly total: number,
    private readonly label = 'photos',
    stream: NodeJS.WriteStream = process.stderr,
  ) {
    this.enabled = Boolean(stream.isTTY) && !process.env.CI;
    this.stream = stream;
  }
  private readonly stream: NodeJS.WriteStream;

  update(done: number, note = ''): void {
    if (!this.enabled) return;
    const now = performance.now();
    if (done < this.total && now - this.last < 100) return;
    this.last = now;
    const width = 28;
    const frac = this.total ? done / this.total : 1;
    const filled = Math.round(frac * width);
    const secs = (now - this.start) / 1000;
    const rate = done / Math.max(secs, 1e-3);
    const eta = rate > 0 ? (this.total - done) / rate : 0;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${this.label}  ${rate.toFixed(2)}/s  ETA ${fmt(eta)}  ${note}`;
    const cols = this.stream.columns || 100;
    this.stream.write(`\r${line.slice(0, cols - 1).padEnd(cols - 1)}`);
  }

  finish(): void {
    if (this.enabled) this.stream.write('\n');
  }
}

function fmt(s: number): string {
  const m = Math.floor(s / 60);
  const r = Math.round(s % 60);
  return `${m}:${String(r).padStart(2, '0')}`;
}
