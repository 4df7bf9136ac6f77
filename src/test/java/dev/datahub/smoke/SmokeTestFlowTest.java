package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.log.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole flow against a real JupyterHub: passing runs, and the image check. */
class SmokeTestFlowTest extends RealHubTest {

  static final String DIGEST = "sha256:" + "ab".repeat(32);
  static final String OTHER = "sha256:" + "cd".repeat(32);

  static SmokeResult run(SmokeSpec spec, CapturingLog log) {
    return new HubSmokeRun(spec, new HubToken(hub.token(), "test"), new Redactor(), log).run();
  }

  static Path notebook(String name) {
    return Path.of("src/test/resources/notebooks", name);
  }

  @Test
  void passesWhenEveryCheckPassesAndTheServerRunsTheExpectedImage() {
    CapturingLog log = new CapturingLog();
    SmokeSpec spec = spec()
        .withImports("json", "os.path")
        .withChecks(SmokeCheck.of("arithmetic", "print(6 * 7)", "^42$"), SmokeCheck.of(null, "x = 1", null))
        .withNotebooks(Notebook.read(notebook("ok.ipynb")))
        .withUserOptions(Map.of("image", "registry.example.org/hub/user@" + DIGEST))
        .withExpectedImage("registry.example.org/hub/user@" + DIGEST, true);

    SmokeResult result = run(spec, log);

    assertEquals("passed", result.status(), () -> result.toJson() + "\n" + log.text());
    assertNull(result.failure());
    assertEquals("done", result.cleanup());
    assertEquals("3.0.0", result.hubVersion());
    assertEquals("datahub-smoke-test", result.user());
    assertEquals("staging", result.environment());
    assertEquals("registry.example.org/hub/user@" + DIGEST, result.observedImage());
    assertEquals(List.of("image", "import json", "import os.path", "arithmetic", "x = 1", "notebook ok.ipynb"),
        result.checks().stream().map(CheckResult::name).toList());
    assertTrue(result.checks().stream().allMatch(CheckResult::passed), result::toJson);
    assertEquals("42\n", result.checks().get(3).output());
    assertEquals("42\n", result.checks().get(5).output());
    assertTrue(result.spawnMillis() > 0 && result.durationMillis() >= result.spawnMillis());
    assertTrue(log.text().contains("PASS arithmetic"), log::text);
  }

  @Test
  void whatRunsWhileTheHubSpawnsCannotChangeTheRun() throws InterruptedException {
    CapturingLog log = new CapturingLog();
    java.util.concurrent.atomic.AtomicReference<String> ranOn = new java.util.concurrent.atomic.AtomicReference<>();
    java.util.concurrent.CountDownLatch ran = new java.util.concurrent.CountDownLatch(1);
    SmokeResult result = new HubSmokeRun(spec().withImports("json"), new HubToken(hub.token(), "test"), new Redactor(), log)
        .whileSpawning(() -> {
          ranOn.set(Thread.currentThread().getName());
          ran.countDown();
          SmokeReports.warmUp();
          throw new IllegalStateException("boom while spawning");
        })
        .run();

    assertEquals("passed", result.status(), () -> result.toJson() + "\n" + log.text());
    assertEquals("done", result.cleanup());
    assertTrue(ran.await(30, java.util.concurrent.TimeUnit.SECONDS), "it was started");
    assertEquals("datahub-smoke-while-spawning", ranOn.get(), "on its own thread");
    assertFalse(log.text().contains("boom"), log::text);
  }

  @Test
  void theTokenNeverAppearsInLogsResultsOrReports(@TempDir Path out) throws Exception {
    CapturingLog log = new CapturingLog();
    Redactor redactor = new Redactor();
    String token = hub.token();
    SmokeSpec spec = spec().withChecks(
        SmokeCheck.of("prints the token", "print('" + token + "')", null),
        SmokeCheck.of("raises with the token", "raise ValueError('" + token + "')", null));
    SmokeResult result = new HubSmokeRun(spec, new HubToken(token, "test"), redactor, log).run();
    SmokeReports reports = new SmokeReports(redactor);
    reports.printSummary(result, log);
    Path summary = out.resolve("github-step-summary.md");
    reports.write(result, out.resolve("smoke-test"), summary);

    assertEquals("failed", result.status());
    assertEquals("ValueError: ****", result.checks().get(1).error());
    assertEquals("****\n", result.checks().get(0).output());
    assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("DEBUG ")), "debug lines are captured too");
    assertFalse(log.text().contains(token), log::text);
    assertFalse(result.toJson().contains(token));
    try (var files = Files.walk(out)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(f).contains(token), "token in " + f);
      }
    }
  }

  @Test
  void expectSeesTheWholeOutputWhileReportsShowOnlyItsStart() {
    SmokeResult result = run(spec().withChecks(
        SmokeCheck.of("long output", "print('x' * 9000)\nprint('MARKER-42')", "MARKER-42")), new CapturingLog());
    assertEquals("passed", result.status(), result::toJson);
    String shown = result.checks().get(0).output();
    assertTrue(shown.length() < 8 * 1024 + 100 && shown.endsWith("(output cut at 8 KB; <expect> saw all of it)"), shown);
    assertFalse(shown.contains("MARKER-42"));
  }

  @Test
  void aTokenCutByTheOutputLimitLeavesNoPartInLogsResultsOrReports(@TempDir Path out) throws Exception {
    CapturingLog log = new CapturingLog();
    Redactor redactor = new Redactor();
    String token = hub.token();
    // The token straddles the 8 KB that reports show: cutting before redacting would leave its first half.
    int before = 8 * 1024 - token.length() / 2;
    SmokeSpec spec = spec().withChecks(
        SmokeCheck.of("prints the token at the cut", "print('x' * " + before + " + '" + token + "')", "^never$"),
        SmokeCheck.of("prints half of it", "t = '" + token + "'\nprint(t[:len(t) // 2])\nprint(t[len(t) // 2:])",
            null));
    SmokeResult result = new HubSmokeRun(spec, new HubToken(token, "test"), redactor, log).run();
    SmokeReports reports = new SmokeReports(redactor);
    reports.printSummary(result, log);
    reports.write(result, out.resolve("smoke-test"), out.resolve("github-step-summary.md"));

    assertEquals("failed", result.status());
    assertEquals("****\n****\n", result.checks().get(1).output());
    List<String> pieces = List.of(token, token.substring(0, token.length() / 2), token.substring(token.length() / 2),
        token.substring(0, 12), token.substring(token.length() - 12));
    for (String piece : pieces) {
      assertFalse(log.text().contains(piece), log::text);
      assertFalse(result.toJson().contains(piece), result::toJson);
      try (var files = Files.walk(out)) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertFalse(Files.readString(f).contains(piece), "'" + piece + "' in " + f);
        }
      }
    }
  }

  @Test
  void failsWhenTheServerRunsAnotherImage() {
    SmokeResult result = run(spec()
        .withUserOptions(Map.of("image", "registry.example.org/hub/user@" + OTHER))
        .withExpectedImage("registry.example.org/hub/user@" + DIGEST, true), new CapturingLog());

    assertEquals("failed", result.status());
    assertTrue(result.failure().startsWith("check 'image' failed: the server runs registry.example.org/hub/user@" + OTHER
        + ", expected registry.example.org/hub/user@" + DIGEST), result.failure());
    assertEquals("done", result.cleanup());
  }

  @Test
  void imageUnknownToTheServerFailsOrOnlyWarnsWhenAllowed() {
    SmokeResult strict = run(spec().withExpectedImage("r@" + DIGEST, true), new CapturingLog());
    assertEquals("failed", strict.status());
    assertTrue(strict.failure().contains("JUPYTER_IMAGE_SPEC is not set"), strict.failure());
    assertTrue(strict.failure().contains("requireImageMatch=false"), strict.failure());
    assertNull(strict.observedImage());

    CapturingLog log = new CapturingLog();
    SmokeResult lenient = run(spec().withExpectedImage("r@" + DIGEST, false).withImports("json"), log);
    assertEquals("passed", lenient.status(), lenient::toJson);
    assertEquals("skipped", lenient.checks().get(0).status());
    assertTrue(log.text().contains("WARN image not verified (requireImageMatch=false)"), log::text);
  }

  @Test
  void stopsALeftoverServerOfTheTestUserFirst() {
    hub.startServer("datahub-smoke-test");
    CapturingLog log = new CapturingLog();
    SmokeResult result = run(spec().withImports("json"), log);
    assertEquals("passed", result.status(), result::toJson);
    assertTrue(log.text().contains("still has a server from an earlier run"), log::text);
  }

  @Test
  void cleanupDeletesTheKernelBeforeStoppingTheServer() {
    int before = hub.log().length();
    SmokeResult result = run(spec().withImports("json"), new CapturingLog());
    assertEquals("passed", result.status(), result::toJson);
    assertEquals("done", result.cleanup());
    // the notebook server logs how many kernels it still had to shut down when the hub stopped it
    String thisRun = hub.log().substring(before);
    assertTrue(thisRun.contains("Shutting down 0 kernels"), thisRun);
    assertFalse(thisRun.contains("Shutting down 1 kernel"), thisRun);
  }

  @Test
  void keepServerOnFailureLeavesTheServerForDebugging() {
    SmokeResult result = run(spec().withImports("no_such_module_xyz").withKeepServerOnFailure(true), new CapturingLog());
    try {
      assertEquals("failed", result.status());
      assertEquals("kept", result.cleanup());
      assertTrue(hub.user("datahub-smoke-test").orElseThrow().path("servers").path("").path("ready").asBoolean());
    } finally {
      hub.removeUser("datahub-smoke-test");
    }
  }

  @Test
  void keepServerOnFailureStillCleansUpAfterSuccess() {
    SmokeResult result = run(spec().withImports("json").withKeepServerOnFailure(true), new CapturingLog());
    assertEquals("passed", result.status());
    assertEquals("done", result.cleanup());
    assertFalse(hub.user("datahub-smoke-test").isPresent());
    assertNotNull(result.startedAt());
  }
}
