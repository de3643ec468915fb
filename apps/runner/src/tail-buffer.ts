/** Keeps the last bytes of a noisy stream (the CLI's stderr can dump megabytes of source). */
export class TailBuffer {
  private content = '';

  constructor(private readonly maxLength: number) {}

  push(data: string): void {
    this.content = (this.content + data).slice(-this.maxLength);
  }

  text(): string {
    return this.content;
  }
}
