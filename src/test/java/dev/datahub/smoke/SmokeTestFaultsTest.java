package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.SmokeTestProcess;
import dev.datahub.log.Redactor;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every fault the smoke test must report in one line, with cleanup done, against a real JupyterHub. */
class SmokeTestFaultsTest extends RealHubTest {

  static SmokeResult run(SmokeSpec spec, String token) {
    return new HubSmokeRun(spec, new HubToken(token, "test token"), new Redactor(), new CapturingLog()).run();
  }

  static SmokeResult run(SmokeSpec spec) {
    return run(spec, hub.token());
  }

  static void assertFailed(SmokeResult r, String failureStart) {
    assertEquals("failed", r.status(), r::toJson);
    assertTrue(r.failure().startsWith(failureStart), () -> "failure was: " + r.failure());
    assertFalse(r.failure().contains("\n"), "one line: " + r.failure());
    assertEquals("done", r.cleanup(), r::toJson);
  }

  @Test
  void hubUnreachable() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    SmokeResult r = run(SmokeSpec.of(URI.create("http://127.0.0.1:" + port + "/")).withImports("json"));
    assertFailed(r, "hub unreachable at http://127.0.0.1:" + port + "/ while reading the hub version");
    assertTrue(r.failure().endsWith("check hubUrl and that the hub is running"), r.failure());
    assertNull(r.hubVersion());
    assertEquals("skipped", r.checks().get(0).status());
  }

  @Test
  void urlThatIsNotAHub() {
    SmokeResult r = run(SmokeSpec.of(hub.url().resolve("not-the-hub/")));
    assertFailed(r, "no JupyterHub API at " + hub.url() + "not-the-hub/hub/api/ (HTTP ");
  }

  @Test
  void tokenRejected() {
    SmokeResult r = run(spec().withImports("json"), "not-a-valid-token");
    assertFailed(r, "hub rejected the API token from test token (HTTP 403)");
    assertFalse(r.failure().contains("not-a-valid-token"));
  }

  @Test
  void tokenLackingScopesNamesThem() {
    SmokeResult r = run(spec(), hub.weakToken());
    assertFailed(r, "the API token (service 'datahub-weak') lacks the scopes admin:users, admin:servers, access:servers");
  }

  @Test
  void spawnFailureReportsTheHubsReason() {
    SmokeResult r = run(spec().withImports("json").withUserOptions(Map.of("mode", "broken")));
    assertFailed(r, "spawn failed: Spawn failed: [Errno 2] No such file or directory:");
    assertTrue(r.failure().contains("no-such-jupyterhub-singleuser"), r.failure());
    assertEquals(0, r.spawnMillis());
  }

  @Test
  void spawnTimeoutReportsTheLastProgressAndStillCleansUp() {
    SmokeResult r = run(spec().withUserOptions(Map.of("mode", "hang"))
        .withTimeouts(Duration.ofMillis(1500), Duration.ofSeconds(20), Duration.ofSeconds(120)));
    assertFailed(r, "server of datahub-smoke-test not ready within spawnTimeout 1.5 s (hub's last progress: ");
    assertTrue(r.failure().contains("raise spawnTimeout"), r.failure());
  }

  @Test
  void failingImportOutputMismatchAndFailingNotebookAreEachReported() {
    SmokeResult r = run(spec()
        .withImports("json", "no_such_module_xyz")
        .withChecks(SmokeCheck.of("greeting", "print('hello')", "^bye$"), SmokeCheck.of("after", "print(1)", "1"))
        .withNotebooks(Notebook.read(Path.of("src/test/resources/notebooks/fails.ipynb"))));
    assertFailed(r, "check 'import no_such_module_xyz' failed: ModuleNotFoundError: No module named 'no_such_module_xyz'"
        + " (and 2 more failed)");
    Map<String, CheckResult> byName = byName(r);
    assertEquals("passed", byName.get("import json").status());
    assertEquals("output does not match /^bye$/: got 'hello'", byName.get("greeting").error());
    assertEquals("passed", byName.get("after").status(), "a failed check does not stop the others");
    assertEquals("cell 2: ZeroDivisionError: division by zero", byName.get("notebook fails.ipynb").error());
    String traceback = byName.get("import no_such_module_xyz").output();
    assertTrue(traceback.contains("ModuleNotFoundError") && traceback.contains("----> 1"), traceback);
    assertFalse(traceback.contains("\u001b"), "no ANSI colour codes: " + traceback);
  }

  @Test
  void aFailingCheckNeverAbortsTheNextOne() {
    List<SmokeCheck> checks = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      checks.add(SmokeCheck.of("fails " + i, "raise RuntimeError('no " + i + "')", null));
      checks.add(SmokeCheck.of("prints " + i, "print('yes " + i + "')", "^yes " + i + "$"));
    }
    SmokeResult r = run(spec().withChecks(checks.toArray(SmokeCheck[]::new)));
    assertFailed(r, "check 'fails 0' failed: RuntimeError: no 0 (and 7 more failed)");
    for (int i = 0; i < 8; i++) {
      assertEquals("passed", byName(r).get("prints " + i).status(), r::toJson);
    }
  }

  @Test
  void kernelDeathFailsTheCheckAndSkipsTheRest() {
    SmokeResult r = run(spec().withChecks(
        SmokeCheck.of("dies", "import os; os._exit(1)", null), SmokeCheck.of("later", "print(1)", null)));
    assertFailed(r, "check 'dies' failed: the kernel died");
    assertEquals("skipped", byName(r).get("later").status());
  }

  @Test
  void executionTimeout() {
    SmokeResult r = run(spec()
        .withChecks(SmokeCheck.of("slow", "import time; time.sleep(30)", null), SmokeCheck.of("later", "print(1)", null))
        .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(1), Duration.ofSeconds(120)));
    assertFailed(r, "check 'slow' failed: no result within executionTimeout 1 s");
    assertEquals("skipped", byName(r).get("later").status());
  }

  @Test
  void aKernelThatRunsNothingFailsTheTestEvenWithoutAnImageCheck() {
    SmokeResult r = run(spec().withImports("json")
        .withTimeouts(Duration.ofSeconds(60), Duration.ofMillis(1), Duration.ofSeconds(120)));
    assertFailed(r, "the kernel did not run its first code: no result within executionTimeout 0.0 s");
    assertEquals("skipped", byName(r).get("import json").status());
  }

  @Test
  void totalTimeoutBoundsTheWholeTest() {
    SmokeResult r = run(spec()
        .withChecks(SmokeCheck.of("slow", "import time; time.sleep(60)", null))
        .withTimeouts(Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(12)));
    // Which step the deadline lands in depends on how fast the hub spawns (a loaded CI machine is slower); the
    // guarantee is that the whole test stops at the total timeout and says so, and the sleeping check never passes.
    assertEquals("failed", r.status(), r::toJson);
    assertTrue(r.failure().contains("totalTimeout of 12 s exceeded"), () -> "failure was: " + r.failure());
    assertEquals("done", r.cleanup(), r::toJson);
    var slow = byName(r).get("slow");
    assertTrue(slow == null || !"passed".equals(slow.status()), r::toJson);
    assertTrue(r.durationMillis() < 40_000, r::toJson);
  }

  @Test
  void interruptStillCleansUpAndKeepsTheInterruptFlag() throws Exception {
    CapturingLog log = new CapturingLog();
    AtomicReference<SmokeResult> result = new AtomicReference<>();
    AtomicReference<Boolean> flag = new AtomicReference<>();
    Thread t = new Thread(() -> {
      result.set(new HubSmokeRun(spec().withChecks(SmokeCheck.of("slow", "import time; time.sleep(60)", null)),
          new HubToken(hub.token(), "test"), new Redactor(), log).run());
      flag.set(Thread.currentThread().isInterrupted());
    });
    t.start();
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!log.text().contains("ready in") && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    Thread.sleep(1000); // inside the slow check
    t.interrupt();
    t.join(60_000);
    assertFailed(result.get(), "smoke test interrupted");
    assertTrue(flag.get(), "the interrupt flag is restored for the caller");
  }

  @Test
  void terminatingTheJvmMidTestStillStopsTheServerAndRemovesTheUser(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("child.log");
    Process child = SmokeTestProcess.start(hub, out);
    try {
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (!Files.readString(out).contains("ready in") && System.nanoTime() < end && child.isAlive()) {
        Thread.sleep(100);
      }
      assertTrue(Files.readString(out).contains("ready in"), () -> "child never got a server: " + read(out));
      Thread.sleep(1000); // inside the slow check
      assertTrue(hub.userNames().contains("datahub-smoke-test"), "the test user exists while the check runs");
    } finally {
      SmokeTestProcess.terminate(child);
    }
    assertTrue(read(out).contains("cleaned up: server stopped, user datahub-smoke-test removed"), () -> read(out));
    // @AfterEach asserts through the hub's API that no server and no user remain
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "";
    }
  }

  static Map<String, CheckResult> byName(SmokeResult r) {
    Map<String, CheckResult> m = new java.util.LinkedHashMap<>();
    r.checks().forEach(c -> m.put(c.name(), c));
    return m;
  }
}
