package dev.datahub.release;

import dev.datahub.fixtures.ChartRepositoryServer;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.log.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints timings of the offline render on the z2jh-like test chart: plan (render + schema + manifest), the same chart
 * as a wrapper's dependency (from the cache after the first round), and lint. Not part of the default test run; run
 * with {@code mvn -B -o -q test -Dtest=OfflinePlanBenchmark}. Figures: BENCHMARKS.md.
 */
class OfflinePlanBenchmark {

  private static final int ROUNDS = 6;

  @TempDir Path tmp;

  @Test
  void benchmark() throws Exception {
    Map<String, List<Long>> timings = new LinkedHashMap<>();
    try (ChartRepositoryServer repository = new ChartRepositoryServer(tmp.resolve("repo"))) {
      repository.publish(Z2jhLikeChartTest.Z2JH_LIKE, "jupyterhub", "4.1.0");
      Path wrapper = Z2jhLikeChartTest.wrapper(tmp, repository.url());
      for (int round = 0; round < ROUNDS; round++) {
        Redactor redactor = new Redactor();
        ReleasePlanner planner = new ReleasePlanner(redactor, tmp.resolve("cache"));
        EnvironmentSpec direct = new EnvironmentSpec("staging", null, "ctx", "staging", "hub", List.of(), List.of(),
            null, null, true, true, null);
        EnvironmentSpec wrapped = new EnvironmentSpec("staging", null, "ctx", "staging", "hub", List.of(), List.of(),
            "jupyterhub.singleuser.image", null, true, true, null);
        ImageRef image = ReleaseFixture.image('a');
        String cold = round == 0 ? " (cold JVM: loads Helm's native library)" : "";
        time(timings, "plan, z2jh-like chart" + cold, () -> planner.plan(direct, ChartSource.local(Z2JH()),
            new ValuesComposer(redactor).compose(List.of(), direct, image, tmp.resolve("w")), image, null));
        time(timings, "plan, wrapper + repository dependency" + (round == 0 ? " (fetch)" : " (cached)"),
            () -> planner.plan(wrapped, ChartSource.local(wrapper), new ValuesComposer(redactor).compose(List.of(),
                wrapped, image, tmp.resolve("w")), image, null));
        time(timings, "lint, z2jh-like chart", () -> planner.lint(ChartSource.local(Z2JH())));
      }
    }
    System.out.println("offline render, " + ROUNDS + " rounds (ms):");
    timings.forEach((step, ms) -> {
      List<Long> sorted = new ArrayList<>(ms);
      sorted.sort(null);
      System.out.printf("  %-60s best %5d  median %5d  all %s%n", step, sorted.get(0), sorted.get(sorted.size() / 2),
          ms);
    });
  }

  private static Path Z2JH() {
    return Z2jhLikeChartTest.Z2JH_LIKE;
  }

  private static void time(Map<String, List<Long>> timings, String step, Runnable action) {
    long start = System.nanoTime();
    action.run();
    timings.computeIfAbsent(step, k -> new ArrayList<>()).add((System.nanoTime() - start) / 1_000_000);
  }
}
