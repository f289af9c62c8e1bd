/** A one-line progress bar on stderr (redrawn in place on a terminal, every 10% otherwise). */
export class ProgressBar {
  private lastDrawn = -1;
  private readonly started = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number): void {
    const ratio = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const percent = Math.floor(ratio * 100);
    if (!this.stream.isTTY && percent - this.lastDrawn < 10 && done < this.total) return;
    if (percent === this.lastDrawn && done < this.total) return;
    this.lastDrawn = percent;
    const width = 30;
    const filled = Math.round(ratio * width);
    const seconds = (Date.now() - this.started) / 1000;
    const rate = seconds > 0 ? Math.round(done / seconds) : 0;
    const line = `${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${percent}% ${done}/${this.total} (${rate}/s)`;
    this.stream.write(this.stream.isTTY ? `\r${line}` : `${line}\n`);
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
