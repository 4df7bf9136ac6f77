package dev.datahub.smoke;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** A point in time every wait is bounded by; crossing it raises a {@link SmokeTimeout} naming what ran out. */
final class Deadline {

  private final long endNanos;
  private final Duration budget;
  private final String name;

  private Deadline(Duration budget, String name) {
    this.budget = budget;
    this.name = name;
    this.endNanos = System.nanoTime() + budget.toNanos();
  }

  static Deadline after(Duration budget, String name) {
    return new Deadline(budget, name);
  }

  Duration remaining() {
    return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
  }

  boolean expired() {
    return endNanos - System.nanoTime() <= 0;
  }

  /** The earlier of this deadline and {@code other}. */
  Deadline min(Deadline other) {
    return other.endNanos - endNanos < 0 ? other : this;
  }

  Duration budget() {
    return budget;
  }

  String name() {
    return name;
  }

  /** Throws when expired. */
  void check(String doing) {
    if (expired()) {
      throw new SmokeTimeout(name + " of " + seconds(budget) + " exceeded while " + doing);
    }
  }

  /** Sleeps for {@code pause} or until the deadline, whichever is first. */
  void sleep(Duration pause) throws InterruptedException {
    // in nanoseconds: rounded down to milliseconds, the deadline's last fraction of a millisecond would not sleep at
    // all and a poll loop would spin (and ask the hub) hundreds of times in it
    long nanos = Math.min(pause.toNanos(), endNanos - System.nanoTime());
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  static String seconds(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  /** A deadline crossed; its message says which timeout and what was happening. */
  static final class SmokeTimeout extends dev.datahub.DataHubException {
    SmokeTimeout(String message) {
      super(message);
    }
  }
}
