package dev.datahub;

import java.util.List;

/**
 * A failure the operator can fix. The message is one line: what failed, why, and what to change. The settings to
 * change are {@link Fix} values ({@link #fixes()}); {@link #getMessage()} words them neutrally and a front end words
 * them its own way ({@link #message(Wording)}). The Maven layer turns it into a build failure without a stack trace;
 * everything else is a bug.
 */
public class DataHubException extends RuntimeException {

  private final Words words;

  public DataHubException(String message) {
    super(message);
    this.words = Words.of(String.valueOf(message));
  }

  public DataHubException(String message, Throwable cause) {
    super(message, cause);
    this.words = Words.of(String.valueOf(message));
  }

  /** {@code template}'s {@code {}} stand for the fixes (or nested {@link Words}), in order. */
  public DataHubException(String template, Fix... fixes) {
    this(Words.of(template, (Object[]) fixes));
  }

  public DataHubException(Words words) {
    super(words.toString());
    this.words = words;
  }

  public DataHubException(Words words, Throwable cause) {
    super(words.toString(), cause);
    this.words = words;
  }

  /** The message in the words of a front end. */
  public String message(Wording wording) {
    return words.in(wording);
  }

  public Words words() {
    return words;
  }

  /** The settings whose change fixes this failure. */
  public List<Fix> fixes() {
    return words.fixes();
  }
}
