package dev.ferry.it.topology;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A Java main class in a JVM of its own, on the test's class path: brokers and service nodes whose
 * death must not take the test with it. Standard output carries the child's report lines (read
 * here), standard error its log (to a file, named in failures).
 */
final class ChildJvm implements AutoCloseable {
  private final String name;
  private final Class<?> mainClass;
  private final List<String> args;
  private final Map<String, String> environment;
  private final Path log;
  private final List<String> lines = new CopyOnWriteArrayList<>();
  private Process process;

  ChildJvm(
      String name, Class<?> mainClass, List<String> args, Map<String, String> env, Path workDir) {
    this.name = name;
    this.mainClass = mainClass;
    this.args = List.copyOf(args);
    this.environment = Map.copyOf(env);
    this.log = workDir.resolve(name + ".log");
  }

  String name() {
    return name;
  }

  synchronized ChildJvm start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is running");
    }
    Files.createDirectories(log.getParent());
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass.getName());
    command.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().putAll(environment);
    // Lines of earlier runs stay, so that marks taken before a restart remain valid.
    Process started = pb.start();
    process = started;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(started.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                  lines.add(line);
                }
              } catch (IOException e) {
                // the process died: its last lines are already kept
              }
            },
            name + "-stdout");
    reader.setDaemon(true);
    reader.start();
    return this;
  }

  /** Waits for a report line that starts with {@code prefix}, at or after index {@code from}. */
  String awaitLine(String prefix, int from, Duration timeout) {
    return await(prefix, false, from, timeout);
  }

  /** Waits for a report line that is exactly {@code line}, at or after index {@code from}. */
  void awaitExactLine(String line, int from, Duration timeout) {
    await(line, true, from, timeout);
  }

  private String await(String prefix, boolean exact, int from, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (int i = from; i < lines.size(); i++) {
        String line = lines.get(i);
        if (exact ? line.equals(prefix) : line.startsWith(prefix)) {
          return line.substring(prefix.length()).trim();
        }
        if (lines.get(i).startsWith("FAILED")) {
          throw new AssertionError(name + " failed: " + lines.get(i) + "; its log: " + log);
        }
      }
      if (process != null && !process.isAlive()) {
        throw new AssertionError(
            name + " exited with " + process.exitValue() + " waiting for " + prefix + "; " + log);
      }
      sleep(50);
    }
    throw new AssertionError(
        name + ": no line " + prefix + " within " + timeout + " (lines " + lines + "); " + log);
  }

  String awaitLine(String prefix, Duration timeout) {
    return awaitLine(prefix, 0, timeout);
  }

  /** The last report line that starts with {@code prefix}, without it; empty if none. */
  String lastLine(String prefix) {
    for (int i = lines.size() - 1; i >= 0; i--) {
      if (lines.get(i).startsWith(prefix)) {
        return lines.get(i).substring(prefix.length());
      }
    }
    return "";
  }

  /** The number of report lines so far: a start index for lines still to come. */
  int mark() {
    return lines.size();
  }

  /** {@code SIGKILL}: no shutdown hook, no flush, as when the machine dies. */
  synchronized void kill9() throws InterruptedException {
    if (process != null) {
      process.destroyForcibly();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        throw new AssertionError(name + " survived SIGKILL");
      }
    }
  }

  /** Kills the process as {@link #kill9()} does; interrupted, it keeps the flag and throws. */
  @Override
  public void close() {
    try {
      kill9();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + ": interrupted while waiting for it to die", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new IOException("interrupted", e));
    }
  }
}
