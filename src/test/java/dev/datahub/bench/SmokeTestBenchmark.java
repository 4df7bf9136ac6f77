package dev.datahub.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.datahub.fixtures.LocalJupyterHub;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.smoke.CheckResult;
import dev.datahub.smoke.HubSmokeRun;
import dev.datahub.smoke.HubToken;
import dev.datahub.smoke.Notebook;
import dev.datahub.smoke.SmokeCheck;
import dev.datahub.smoke.SmokeResult;
import dev.datahub.smoke.SmokeSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Smoke-test wall time against the time the hub and the kernel themselves spend: the hub's own
 * "took N seconds to start" (spawn) and the kernel's busy→idle time for every execution. Not part
 * of the normal test run (the class name matches no surefire include); run it with
 * {@code mvn -B -o -q test -Dtest=SmokeTestBenchmark [-Dbench.runs=5]}.
 */
class SmokeTestBenchmark {

  private static final Pattern STARTED = Pattern.compile("User datahub-smoke-test took ([0-9.]+) seconds to start");
  private static final Pattern STOPPED = Pattern.compile("User datahub-smoke-test server took ([0-9.]+) seconds to stop");
  private static final String IMAGE = "registry.example.org/hub/user@sha256:" + "ab".repeat(32);

  @Test
  void smokeWallTimeAgainstHubSideSpawnAndExecute() {
    int runs = Integer.getInteger("bench.runs", 5);
    try (LocalJupyterHub hub = LocalJupyterHub.start()) {
      SmokeSpec spec = SmokeSpec.of(hub.url())
          .withImports("json", "csv", "sqlite3")
          .withChecks(SmokeCheck.of("arithmetic", "print(6 * 7)", "^42$"),
              SmokeCheck.of("sum", "print(sum(range(10**6)))", "^499999500000$"))
          .withNotebooks(Notebook.read(Path.of("src/test/resources/notebooks/ok.ipynb")))
          .withUserOptions(Map.of("image", IMAGE))
          .withExpectedImage(IMAGE, true);
      once(hub, spec); // warm-up: first spawn pays for cold Python imports

      List<double[]> rows = new ArrayList<>();
      System.out.println();
      System.out.println("run | wall s | hub spawn s | kernel exec s | hub stop s | kernel start s | client overhead s "
          + "| wall/(spawn+exec) | wall/(spawn+exec+stop) | wall/(spawn+kernel start+exec+stop)");
      for (int i = 1; i <= runs; i++) {
        int logFrom = hub.log().length();
        SmokeResult r = once(hub, spec);
        String log = hub.log().substring(logFrom);
        double wall = r.durationMillis() / 1000.0;
        double spawn = seconds(STARTED, log);
        double stop = seconds(STOPPED, log);
        double exec = r.checks().stream().mapToLong(c -> Math.max(0, c.kernelMillis())).sum() / 1000.0;
        // The server opens the kernel WebSocket only once the kernel answers: that wait is kernel start.
        double kernelStart = r.kernelStartMillis() / 1000.0;
        double overhead = wall - spawn - exec - stop - kernelStart;
        double[] row = {wall, spawn, exec, stop, kernelStart, overhead, wall / (spawn + exec), wall / (spawn + exec + stop),
            wall / (spawn + kernelStart + exec + stop)};
        rows.add(row);
        System.out.println(String.format(Locale.ROOT, "%d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2fx | %.2fx | %.2fx",
            i, row[0], row[1], row[2], row[3], row[4], row[5], row[6], row[7], row[8]));
      }
      System.out.println(String.format(Locale.ROOT, "median | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2fx | %.2fx | %.2fx",
          median(rows, 0), median(rows, 1), median(rows, 2), median(rows, 3), median(rows, 4), median(rows, 5),
          median(rows, 6), median(rows, 7), median(rows, 8)));
      System.out.println();
    }
  }

  private static SmokeResult once(LocalJupyterHub hub, SmokeSpec spec) {
    SmokeResult r = new HubSmokeRun(spec, new HubToken(hub.token(), "bench"), new Redactor(), StepLog.silent()).run();
    assertEquals("passed", r.status(), r::toJson);
    assertEquals(7, r.checks().stream().filter(CheckResult::passed).count());
    return r;
  }

  private static double seconds(Pattern p, String log) {
    Matcher m = p.matcher(log);
    if (!m.find()) {
      throw new IllegalStateException("hub log has no line matching " + p + ":\n" + log);
    }
    return Double.parseDouble(m.group(1));
  }

  private static double median(List<double[]> rows, int column) {
    double[] v = rows.stream().mapToDouble(r -> r[column]).sorted().toArray();
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }
}
