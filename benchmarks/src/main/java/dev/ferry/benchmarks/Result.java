package dev.ferry.benchmarks;

/**
 * One scenario's figures.
 *
 * @param scenario its name
 * @param messages messages sent and received
 * @param seconds from the first send to the last receipt
 * @param p50Millis median end-to-end latency
 * @param p95Millis 95th percentile
 * @param p99Millis 99th percentile
 * @param peakRssMb the process's peak resident set during the run, or -1 if unknown
 */
record Result(
    String scenario,
    long messages,
    double seconds,
    double p50Millis,
    double p95Millis,
    double p99Millis,
    long peakRssMb) {

  double perSecond() {
    return messages / seconds;
  }
}
