package dev.ferry.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The store benchmark's output: a table on standard output, and CSV and JSON files. */
final class StoreReport {
  private StoreReport() {}

  /** The 1-minute load average, to judge how quiet the machine was. */
  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    } catch (IOException | RuntimeException e) {
      return "?";
    }
  }

  static void print(List<StoreComparison> rows) {
    System.out.printf(
        Locale.ROOT,
        "%n%-8s %-28s %3s %-7s %12s %12s %8s %-8s %-4s %s%n",
        "pg",
        "measurement",
        "thr",
        "unit",
        "baseline",
        "ferry",
        "ratio",
        "target",
        "met",
        "note");
    for (StoreComparison r : rows) {
      System.out.printf(
          Locale.ROOT,
          "%-8s %-28s %3d %-7s %,12.0f %,12.0f %8s %-8s %-4s %s%n",
          r.pg(),
          r.what(),
          r.threads(),
          r.unit(),
          r.baselineRate(),
          r.ferryRate(),
          r.what().startsWith("tx")
              ? String.format(Locale.ROOT, "%.2fx", r.ratio())
              : String.format(Locale.ROOT, "%.0f%%", 100 * r.ratio()),
          r.target(),
          r.target().equals("-") ? "" : r.met() ? "yes" : "NO",
          r.note());
    }
  }

  static void write(List<StoreComparison> rows, Path out) throws IOException {
    Files.createDirectories(out);
    StringBuilder csv =
        new StringBuilder("pg,measurement,threads,unit,baseline,ferry,ratio,target,met,note\n");
    StringBuilder json =
        new StringBuilder(
            "{\"at\":\""
                + Instant.now()
                + "\",\"cpus\":"
                + Runtime.getRuntime().availableProcessors()
                + ",\"java\":\""
                + System.getProperty("java.version")
                + "\",\"results\":[");
    for (int i = 0; i < rows.size(); i++) {
      StoreComparison r = rows.get(i);
      csv.append(
          String.format(
              Locale.ROOT,
              "%s,\"%s\",%d,%s,%.1f,%.1f,%.3f,\"%s\",%s,\"%s\"%n",
              fields(r, r.note())));
      json.append(i == 0 ? "" : ",")
          .append(
              String.format(
                  Locale.ROOT,
                  "{\"pg\":\"%s\",\"measurement\":\"%s\",\"threads\":%d,\"unit\":\"%s\","
                      + "\"baseline\":%.1f,\"ferry\":%.1f,\"ratio\":%.3f,\"target\":\"%s\","
                      + "\"met\":%s,\"note\":\"%s\"}",
                  fields(r, r.note().replace("\"", "'"))));
    }
    json.append("]}\n");
    Files.writeString(out.resolve("store-results.csv"), csv);
    Files.writeString(out.resolve("store-results.json"), json);
    System.out.println("\nWrote " + out.resolve("store-results.csv") + " and store-results.json");
  }

  /** The columns of a row in the files' order, with its note as the format can hold it. */
  private static Object[] fields(StoreComparison r, String note) {
    return new Object[] {
      r.pg(),
      r.what(),
      r.threads(),
      r.unit(),
      r.baselineRate(),
      r.ferryRate(),
      r.ratio(),
      r.target(),
      r.met(),
      note
    };
  }
}
