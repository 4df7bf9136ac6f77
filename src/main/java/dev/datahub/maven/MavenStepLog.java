package dev.datahub.maven;

import dev.datahub.Wording;
import dev.datahub.log.StepLog;
import org.apache.maven.plugin.logging.Log;

/** Adapts Maven's log to the core's {@link StepLog}. Wrap it with a Redactor before use. */
final class MavenStepLog implements StepLog {

  private final Log log;

  MavenStepLog(Log log) {
    this.log = log;
  }

  @Override
  public void info(String line) {
    log.info(line);
  }

  @Override
  public void warn(String line) {
    log.warn(line);
  }

  @Override
  public void debug(String line) {
    log.debug(line);
  }

  @Override
  public Wording wording() {
    return MavenWording.INSTANCE;
  }
}
