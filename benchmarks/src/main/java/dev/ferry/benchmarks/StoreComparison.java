package dev.ferry.benchmarks;

/**
 * One figure of the store benchmark: Ferry's measurement against its baseline, each a {@link
 * Result} (how many in how long), read as a rate.
 *
 * @param pg the PostgreSQL it ran on ({@code durable} or {@code fast})
 * @param what the measurement; one starting with {@code tx} is a cost (baseline over Ferry), any
 *     other a share (Ferry over baseline)
 * @param threads the threads that ran it
 * @param unit what the rates count per second
 * @param baseline what Ferry is measured against
 * @param ferry Ferry's measurement
 * @param target the target ratio, or {@code -} for none
 * @param met whether the target was met
 * @param note how it was measured
 */
record StoreComparison(
    String pg,
    String what,
    int threads,
    String unit,
    Result baseline,
    Result ferry,
    String target,
    boolean met,
    String note) {

  /** A saturation measurement of {@code count} done in {@code nanos}, for {@code scenario}. */
  static Result measured(String scenario, long count, long nanos) {
    return new Result(
        scenario, "saturation", count, nanos / 1e9, Double.NaN, Double.NaN, Double.NaN, -1, "");
  }

  double baselineRate() {
    return baseline.perSecond();
  }

  double ferryRate() {
    return ferry.perSecond();
  }

  double ratio() {
    return what.startsWith("tx") ? baselineRate() / ferryRate() : ferryRate() / baselineRate();
  }
}
