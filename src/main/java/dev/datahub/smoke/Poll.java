package dev.datahub.smoke;

import java.time.Duration;

/**
 * The pauses between two looks at the hub while waiting for it (a spawn, a stop, a user it cannot delete yet): short
 * at first, since a local hub answers within a few hundred milliseconds, then growing by half each time up to
 * {@link #MAX}, so a slow Kubernetes spawn costs the hub one request every half second. Each pause ends at the
 * deadline at the latest, and a look after the deadline raises its timeout.
 */
final class Poll {

  static final Duration FIRST = Duration.ofMillis(50);
  static final Duration MAX = Duration.ofMillis(500);

  private final Deadline deadline;
  private Duration next = FIRST;

  private Poll(Deadline deadline) {
    this.deadline = deadline;
  }

  static Poll until(Deadline deadline) {
    return new Poll(deadline);
  }

  /** The pause the next {@link #pause} takes (before the deadline cuts it). */
  Duration next() {
    return next;
  }

  /**
   * Throws {@link Deadline.SmokeTimeout} (naming {@code doing}) when the deadline has passed, else sleeps for the
   * next pause or until the deadline, whichever comes first.
   */
  void pause(String doing) throws InterruptedException {
    deadline.check(doing);
    deadline.sleep(next);
    next = grown(next);
  }

  /** The pause after {@code pause}: half as long again, at most {@link #MAX}. */
  static Duration grown(Duration pause) {
    Duration grown = pause.plus(pause.dividedBy(2));
    return grown.compareTo(MAX) < 0 ? grown : MAX;
  }
}
