package dev.ferry.servicebus.internal;

import java.time.Duration;

/**
 * The gate of a listener's handler slots: counts the handler calls in flight, shuts while paused or
 * closing, and lets close wait for the calls in flight. A slot that finds it shut is parked: it
 * waits while paused (so the processor asks for nothing more) and, while closing, until the
 * processor closed or a short while passed.
 */
final class InFlightGate {
  /** How long a slot parked during close waits for the processor to close. */
  private static final long PARK_ON_CLOSE_MS = 5_000;

  private int inFlight;
  private boolean paused;
  private boolean closing;
  private boolean closed;

  /** Takes a slot for a handler call; false when the gate is shut (paused or closing). */
  synchronized boolean enter() {
    if (paused || closing) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** Gives back a slot {@link #enter} took. */
  synchronized void exit() {
    inFlight--;
    notifyAll();
  }

  synchronized void pause() {
    paused = true;
  }

  synchronized void resume() {
    paused = false;
    notifyAll();
  }

  /** Whether close began. */
  synchronized boolean closing() {
    return closing;
  }

  /** Shuts the gate for good; false if it was shut for good already. */
  synchronized boolean shut() {
    if (closing) {
      return false;
    }
    closing = true;
    notifyAll();
    return true;
  }

  /** Waits up to {@code timeout} for the calls in flight and returns how many are still running. */
  synchronized int awaitIdle(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (inFlight > 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        wait(Math.max(1, left / 1_000_000));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return inFlight;
  }

  /** The processor is closed: parked slots go. */
  synchronized void closed() {
    closed = true;
    notifyAll();
  }

  /** Holds a slot that found the gate shut, as the class description says. */
  synchronized void park() {
    long deadline = System.currentTimeMillis() + PARK_ON_CLOSE_MS;
    try {
      while (!closed) {
        if (closing) {
          long left = deadline - System.currentTimeMillis();
          if (left <= 0) {
            return;
          }
          wait(left);
        } else if (paused) {
          wait(1_000);
        } else {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
