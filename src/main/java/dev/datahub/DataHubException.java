package dev.datahub;

/**
 * A failure the operator can fix. The message is one line: what failed, why, and what to change.
 * The Maven layer turns it into a build failure without a stack trace; everything else is a bug.
 */
public class DataHubException extends RuntimeException {

  public DataHubException(String message) {
    super(message);
  }

  public DataHubException(String message, Throwable cause) {
    super(message, cause);
  }
}
