package dev.datahub.release;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.log.Redactor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints timings of the release steps against the mock cluster. Not part of the default test run (the name does not
 * match surefire's includes); run with {@code mvn -B -o -q test -Dtest=ReleaseBenchmark}. See bench/release.md.
 */
class ReleaseBenchmark {

  private static final int ROUNDS = 5;

  @TempDir Path tmp;

  @Test
  void benchmark() {
    Map<String, List<Long>> timings = new LinkedHashMap<>();
    for (int round = 0; round < ROUNDS; round++) {
      try (ReleaseFixture fx = new ReleaseFixture(tmp.resolve("r" + round))) {
        EnvironmentSpec base = fx.staging();
        // z2jh's advised 10 minute timeout: fail-fast must not depend on it.
        EnvironmentSpec env = new EnvironmentSpec(base.name(), base.kubeconfig(), base.kubeContext(), base.namespace(),
            base.release(), base.valuesFiles(), base.secretValuesFiles(), null, Duration.ofMinutes(10), true, true, null);
        HubRelease release = fx.release(env);
        time(timings, round == 0 ? "first install (cold JVM: loads Helm native library)" : "first install",
            () -> release.deploy(fx.request(ReleaseFixture.image('a'))));
        time(timings, "upgrade (new image digest)", () -> release.deploy(fx.request(ReleaseFixture.image('b'))));
        time(timings, "plan against live release (render + diff)", () -> {
          Redactor redactor = new Redactor();
          ImageRef image = ReleaseFixture.image('c');
          ComposedValues values = new ValuesComposer(redactor).compose(List.of(), env, image, tmp.resolve("w"));
          new ReleasePlanner(redactor).plan(env, ChartSource.local(ReleaseFixture.CHART), values, image, release);
        });
        time(timings, "rollback to previous revision", () -> release.rollback(null, "x", false));
        fx.cluster.failPods("hub", "ImagePullBackOff");
        time(timings, "ImagePullBackOff detected + auto-rollback (timeout 10 min)", () -> {
          try {
            release.deploy(fx.request(ReleaseFixture.image('d')));
            throw new AssertionError("expected a failure");
          } catch (DataHubException expected) {
            // the figure is how long it took to fail
          }
        });
      }
    }
    System.out.println("\n| step | median ms | min ms | max ms | n |\n|---|---|---|---|---|");
    timings.forEach((step, values) -> {
      List<Long> sorted = new ArrayList<>(values);
      sorted.sort(Long::compare);
      System.out.println("| " + step + " | " + sorted.get(sorted.size() / 2) + " | " + sorted.get(0) + " | "
          + sorted.get(sorted.size() - 1) + " | " + sorted.size() + " |");
    });
  }

  private static void time(Map<String, List<Long>> timings, String step, Runnable action) {
    long start = System.nanoTime();
    action.run();
    timings.computeIfAbsent(step, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1_000_000);
  }
}
