package dev.ferry.benchmarks;

import java.util.Locale;

/**
 * One measurement.
 *
 * @param scenario the scenario's name
 * @param mode {@code saturation}, or {@code N/s} for a fixed offered rate
 * @param messages messages sent and received
 * @param seconds from the first send to the last receipt
 * @param p50Millis median end-to-end latency
 * @param p95Millis 95th percentile
 * @param p99Millis 99th percentile
 * @param peakRssMb the scenario process's peak resident set, or -1 if unknown
 * @param note counts or remarks (duplicates, lost)
 */
record Result(
    String scenario,
    String mode,
    long messages,
    double seconds,
    double p50Millis,
    double p95Millis,
    double p99Millis,
    long peakRssMb,
    String note) {

  double perSecond() {
    return messages / seconds;
  }

  Result withRss(long rss) {
    return new Result(
        scenario, mode, messages, seconds, p50Millis, p95Millis, p99Millis, rss, note);
  }

  /** One line of JSON, also the wire format between the benchmark and its scenario processes. */
  String json() {
    return String.format(
        Locale.ROOT,
        "{\"scenario\":\"%s\",\"mode\":\"%s\",\"messages\":%d,"
            + "\"seconds\":%.3f,\"msgPerSecond\":%.1f,\"p50Ms\":%.3f,\"p95Ms\":%.3f,\"p99Ms\":%.3f,"
            + "\"peakRssMb\":%d,\"note\":\"%s\"}",
        scenario,
        mode,
        messages,
        seconds,
        perSecond(),
        p50Millis,
        p95Millis,
        p99Millis,
        peakRssMb,
        note.replace("\"", "'"));
  }

  static Result parse(String json) {
    return new Result(
        str(json, "scenario"),
        str(json, "mode"),
        (long) num(json, "messages"),
        num(json, "seconds"),
        num(json, "p50Ms"),
        num(json, "p95Ms"),
        num(json, "p99Ms"),
        (long) num(json, "peakRssMb"),
        str(json, "note"));
  }

  private static String str(String json, String key) {
    int i = json.indexOf("\"" + key + "\":\"") + key.length() + 4;
    return json.substring(i, json.indexOf('"', i));
  }

  private static double num(String json, String key) {
    int i = json.indexOf("\"" + key + "\":") + key.length() + 3;
    int j = i;
    while (j < json.length() && "-0123456789.NaEI".indexOf(json.charAt(j)) >= 0) {
      j++;
    }
    return Double.parseDouble(json.substring(i, j));
  }
}
