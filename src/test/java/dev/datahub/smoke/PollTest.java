package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The waits for the hub: short first, bounded growth, and never past the deadline. */
class PollTest {

  @Test
  void pausesStartShortAndGrowToTheCapWithoutPassingIt() {
    Poll poll = Poll.until(Deadline.after(Duration.ofMinutes(1), "spawnTimeout"));
    List<Long> pauses = new ArrayList<>();
    Duration pause = poll.next();
    for (int i = 0; i < 9; i++) {
      pauses.add(pause.toMillis());
      pause = Poll.grown(pause);
    }
    assertEquals(List.of(50L, 75L, 112L, 168L, 253L, 379L, 500L, 500L, 500L), pauses);
  }

  @Test
  void aWaitThatNeverSucceedsEndsAtTheDeadlineWithItsName() {
    Deadline deadline = Deadline.after(Duration.ofMillis(200), "cleanupTimeout");
    Poll poll = Poll.until(deadline);
    int[] pauses = {0};
    Deadline.SmokeTimeout e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(Deadline.SmokeTimeout.class,
        () -> {
          while (true) { // the hub never says "gone"
            poll.pause("waiting for the server of u to stop");
            pauses[0]++;
          }
        }));
    assertEquals("cleanupTimeout of 0.2 s exceeded while waiting for the server of u to stop", e.getMessage());
    // 50 + 75 ms, then the 112 ms pause is cut at the deadline: never a full pause past it
    assertTrue(pauses[0] <= 3, "pauses: " + pauses[0]);
    assertTrue(deadline.expired());
  }
}
