/**
 * How many write statements this process has sent to each table: a generation that moves on every
 * INSERT, UPDATE or DELETE through Kysely (db/write-watch.ts bumps it), so that a value computed
 * from a table (a list's total) can be kept until the table is written. Writes by other processes
 * are not seen: a cache built on it needs a time-to-live as well.
 */
export class WriteLog {
  readonly #generations = new Map<string, number>();

  bump(table: string): void {
    this.#generations.set(table, (this.#generations.get(table) ?? 0) + 1);
  }

  /** The sum of the tables' generations: it moves whenever any of them is written. */
  generation(...tables: string[]): number {
    let sum = 0;
    for (const t of tables) sum += this.#generations.get(t) ?? 0;
    return sum;
  }
}
