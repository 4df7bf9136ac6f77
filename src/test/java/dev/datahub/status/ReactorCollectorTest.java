package dev.datahub.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ReactorCollectorTest {

  @Test
  void theHubThatCompletesTheListGetsItInReactorOrderOnce() {
    Object build = new Object();
    List<String> hubs = List.of("a", "b", "c");
    assertTrue(ReactorCollector.offer(build, "status", hubs, "c", "C").isEmpty());
    assertTrue(ReactorCollector.offer(build, "status", hubs, "a", "A").isEmpty());
    // another report and another build do not count towards this one
    assertTrue(ReactorCollector.offer(build, "change-summary", hubs, "b", "B'").isEmpty());
    assertTrue(ReactorCollector.offer(new Object(), "status", hubs, "b", "B''").isEmpty());
    assertEquals(Optional.of(List.of("A", "B", "C")), ReactorCollector.offer(build, "status", hubs, "b", "B"));
    // a later status in the same build starts a new list
    assertTrue(ReactorCollector.offer(build, "status", hubs, "a", "A2").isEmpty());
  }

  @Test
  void underParallelHubsExactlyOneWrites() throws Exception {
    List<String> hubs = new ArrayList<>();
    for (int i = 0; i < 27; i++) {
      hubs.add("hub-" + i);
    }
    Object build = new Object();
    List<List<String>> completed = new CopyOnWriteArrayList<>();
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> runs = new ArrayList<>();
      for (String hub : hubs) {
        runs.add(pool.submit(() -> {
          start.await();
          ReactorCollector.offer(build, "status", hubs, hub, hub).ifPresent(completed::add);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> run : runs) {
        run.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(List.of(hubs), completed);
  }
}
