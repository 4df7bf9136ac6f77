package dev.datahub.log;

import dev.datahub.Wording;

/**
 * Where the core reports progress. The Maven layer adapts Maven's log; tests capture lines.
 * Implementations must pass every line through a {@link Redactor} before it leaves the process.
 */
public interface StepLog {

  void info(String line);

  void warn(String line);

  void debug(String line);

  /** How this log's reader names a setting ({@link dev.datahub.Fix}); the Maven log words them as Maven does. */
  default Wording wording() {
    return Wording.NEUTRAL;
  }

  /** A log that drops everything; for callers that do not care about progress. */
  static StepLog silent() {
    return new StepLog() {
      @Override
      public void info(String line) {}

      @Override
      public void warn(String line) {}

      @Override
      public void debug(String line) {}
    };
  }
}
