package dev.datahub.smoke;

import com.fasterxml.jackson.databind.JsonNode;
import dev.datahub.DataHubException;
import dev.datahub.image.Digest;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.smoke.KernelSession.Execution;
import dev.datahub.smoke.KernelSession.Outcome;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tests a hub the way a person would: log in (a test user), start a server, open a kernel, run
 * the checks, look at which image the server runs — and always clean up, on success, failure,
 * timeout, interrupt and JVM shutdown. Failures are reported in the result, never thrown, so the
 * reports are written in every case.
 */
public final class HubSmokeRun {

  private static final Duration POLL_FIRST = Duration.ofMillis(100);
  private static final Duration POLL_MAX = Duration.ofMillis(500);
  /** What reports and logs show of a check's output (after redaction); {@code <expect>} sees all of it. */
  private static final String IMAGE_CODE = "import os; print(os.environ.get('JUPYTER_IMAGE_SPEC') or '')";

  private final SmokeSpec spec;
  private final Redactor redactor;
  private final StepLog log;
  private final HubClient hub;

  // state shared with cleanup (which may run from a shutdown hook)
  private boolean userTouched;
  private URI serverUrl;
  private String kernelId;
  private KernelSession kernel;
  private String cleanupOutcome;

  public HubSmokeRun(SmokeSpec spec, HubToken token, Redactor redactor, StepLog log) {
    this.spec = spec;
    this.redactor = redactor;
    redactor.register(token.value());
    this.log = redactor.wrap(log);
    this.hub = new HubClient(spec.hubUrl(), token, this.log);
  }

  /** Runs the test and cleans up; the result says passed or failed and why. */
  public SmokeResult run() {
    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    Run run = new Run();
    Thread hook = new Thread(() -> cleanup(true), "datahub-smoke-test-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    boolean interrupted = false;
    try {
      flow(run, Deadline.after(spec.totalTimeout(), "totalTimeout"));
    } catch (DataHubException e) {
      run.failure = e.getMessage();
    } catch (InterruptedException e) {
      interrupted = true;
      run.failure = "smoke test interrupted";
    } finally {
      boolean failedSoFar = run.failure != null || run.checks.stream().anyMatch(CheckResult::failed);
      String cleanup = cleanup(failedSoFar);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or ran; cleanup is idempotent
      }
      hub.close();
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
      run.cleanup = cleanup;
    }
    return result(run, startedAt, Duration.ofNanos(System.nanoTime() - t0));
  }

  /** Mutable state of one run; turned into a {@link SmokeResult} at the end. */
  private static final class Run {
    String hubVersion;
    String observedImage;
    long spawnMillis;
    long kernelStartMillis;
    final List<CheckResult> checks = new ArrayList<>();
    String failure;
    String cleanup;
  }

  private void flow(Run run, Deadline total) throws InterruptedException {
    String user = spec.user();
    run.hubVersion = hub.version(total);
    hub.health(total);
    hub.requireScopes(total);
    log.info("JupyterHub " + run.hubVersion + " at " + spec.hubUrl() + " (" + spec.environment() + "), test user " + user);

    userTouched = true;
    Optional<JsonNode> existing = hub.user(user, total);
    if (existing.isEmpty()) {
      hub.createUser(user, total);
    } else if (existing.get().path("servers").has("")) {
      log.warn("user " + user + " still has a server from an earlier run; stopping it so the new deploy is tested");
      stopServerAndWait(total);
    }

    long spawnStart = System.nanoTime();
    serverUrl = spawn(user, total);
    run.spawnMillis = Duration.ofNanos(System.nanoTime() - spawnStart).toMillis();
    log.info("server of " + user + " ready in " + Deadline.seconds(Duration.ofMillis(run.spawnMillis)));

    long kernelStart = System.nanoTime();
    kernelId = hub.startKernel(serverUrl, total);
    Duration openTimeout = min(HubClient.REQUEST_TIMEOUT, total.remaining());
    kernel = KernelSession.open(hub.http(), hub.kernelChannels(serverUrl, kernelId), hub.token(), user, openTimeout);
    run.kernelStartMillis = millisSince(kernelStart);
    log.debug("kernel ready in " + run.kernelStartMillis + " ms");

    String broken = null; // why the kernel can no longer be used
    long imageStart = System.nanoTime();
    Execution image = execute(IMAGE_CODE, total);
    long imageMillis = millisSince(imageStart);
    if (image.outcome() == Outcome.OK) {
      String imageSpec = image.output().strip();
      run.observedImage = imageSpec.isEmpty() ? null : imageSpec;
    } else if (image.outcome() != Outcome.ERROR) {
      broken = "not run: the kernel did not run its first code (" + image.error() + ")";
    }
    if (spec.expectedImage() != null) {
      CheckResult r = imageCheck(image, run.observedImage);
      run.checks.add(new CheckResult(r.name(), r.status(), imageMillis, r.error(), r.output(), image.kernelMillis()));
    } else if (broken != null) {
      // No check records this failure, so the run itself must fail: skipped checks alone would read as passed.
      throw new DataHubException("the kernel did not run its first code: " + image.error()
          + " — check the user server's log and the image's Python kernel");
    }

    new KernelChecks(spec, redactor, log).run(code -> execute(code, total), total, broken, run.checks);
  }

  /** Starts the server and waits until it is ready; the hub's own reason is reported on failure. */
  private URI spawn(String user, Deadline total) throws InterruptedException {
    Deadline deadline = Deadline.after(spec.spawnTimeout(), "spawnTimeout").min(total);
    log.info("starting the server of " + user + (spec.userOptions().isEmpty() ? "" : " with options " + spec.userOptions()));
    try {
      HubClient.Response started = hub.startServer(user, spec.userOptions(), deadline);
      if (started != null && started.status() >= 400 && !started.message().contains("already")) {
        throw new DataHubException("spawn failed: " + spawnReason(user, started.message()) + " — " + spawnFix());
      }
      Duration pause = POLL_FIRST;
      while (true) {
        JsonNode model = hub.user(user, deadline).orElseThrow(() ->
            new DataHubException("user " + user + " disappeared while its server was starting — is another smoke test running?"));
        JsonNode server = model.path("servers").path("");
        if (server.path("ready").asBoolean(false)) {
          return hub.serverUrl(server.path("url").asText("user/" + user + "/"));
        }
        if (server.isMissingNode() && model.path("pending").isNull()) {
          throw new DataHubException("spawn failed: " + spawnReason(user, "the server stopped while starting") + " — " + spawnFix());
        }
        deadline.check("waiting for the server of " + user);
        deadline.sleep(pause);
        pause = min(pause.multipliedBy(2), POLL_MAX);
      }
    } catch (Deadline.SmokeTimeout e) {
      String progress = hub.lastProgress(user, Duration.ofSeconds(1))
          .map(p -> p.path("message").asText(null)).filter(m -> m != null && !m.isBlank())
          .map(m -> " (hub's last progress: " + m + ")").orElse("");
      Deadline limit = deadline;
      throw new DataHubException("server of " + user + " not ready within " + limit.name() + " "
          + Deadline.seconds(limit.budget()) + progress + " — raise " + limit.name() + " or " + spawnFix());
    }
  }

  private String spawnReason(String user, String fallback) throws InterruptedException {
    return hub.lastProgress(user, Duration.ofSeconds(3))
        .filter(p -> p.path("failed").asBoolean(false))
        .map(p -> p.path("message").asText(fallback))
        .orElse(fallback);
  }

  private static String spawnFix() {
    return "check the hub log and the user pod (kubectl logs deploy/hub; kubectl describe pod jupyter-<user>)";
  }

  /** Runs code bounded by executionTimeout and by what is left of totalTimeout, reporting which one ran out. */
  private Execution execute(String code, Deadline total) throws InterruptedException {
    return KernelChecks.execute(kernel, spec, code, total);
  }

  private CheckResult imageCheck(Execution e, String observed) {
    String expected = spec.expectedImage();
    String want = Digest.in(expected);
    if (e.outcome() != Outcome.OK) {
      return new CheckResult("image", CheckResult.FAILED, 0, "cannot read JUPYTER_IMAGE_SPEC: " + e.error(),
          new KernelChecks(spec, redactor, log).shown(e.output()));
    }
    CheckResult r;
    if (observed == null) {
      String why = "the server does not say which image it runs (JUPYTER_IMAGE_SPEC is not set, e.g. not KubeSpawner)";
      r = spec.requireImageMatch()
          ? new CheckResult("image", CheckResult.FAILED, 0, why + " — set requireImageMatch=false to accept this", null)
          : new CheckResult("image", CheckResult.SKIPPED, 0, why, null);
    } else if (Digest.in(observed) == null) {
      String why = "the server runs " + observed + " (a tag, no digest), expected " + want;
      r = spec.requireImageMatch()
          ? new CheckResult("image", CheckResult.FAILED, 0, why + " — deploy the image by digest so the server's image can be verified", null)
          : new CheckResult("image", CheckResult.SKIPPED, 0, why, null);
    } else if (want.equals(Digest.in(observed))) {
      r = new CheckResult("image", CheckResult.PASSED, 0, null, observed);
    } else {
      r = new CheckResult("image", CheckResult.FAILED, 0, "the server runs " + observed + ", expected " + expected
          + " — the deploy did not roll out the new image (check singleuser.image and profileList overrides)", null);
    }
    if (CheckResult.SKIPPED.equals(r.status())) {
      log.warn("image not verified (requireImageMatch=false): " + r.error());
    }
    report(r);
    return r;
  }

  private static CheckResult skipped(String name, String why) {
    return KernelChecks.skipped(name, why);
  }

  private void report(CheckResult r) {
    new KernelChecks(spec, redactor, log).report(r);
  }

  // ---- cleanup ----

  /**
   * Closes the kernel connection, deletes the kernel, stops the server (waits until it is gone) and
   * removes the user. Runs once;
   * a second call (the shutdown hook racing the main thread) returns the first outcome.
   */
  synchronized String cleanup(boolean failed) {
    if (cleanupOutcome != null) {
      return cleanupOutcome;
    }
    boolean interrupted = Thread.interrupted(); // cleanup must run even when we were interrupted
    try {
      if (kernel != null) {
        kernel.close();
      }
      if (!userTouched) {
        cleanupOutcome = "done";
      } else if (failed && spec.keepServerOnFailure()) {
        log.warn("keepServerOnFailure: the server of " + spec.user() + " is left running at "
            + (serverUrl != null ? serverUrl : spec.hubUrl()) + " — remove it with DELETE " + spec.hubUrl()
            + "hub/api/users/" + spec.user() + " when done");
        cleanupOutcome = "kept";
      } else {
        Deadline deadline = Deadline.after(spec.cleanupTimeout(), "cleanupTimeout");
        // The kernel is deleted before the server stops: a server stopped with a live kernel took longer to go
        // (bench/smoke-peer.py --kernel-ab, BENCHMARKS.md). Stopping the server ends it anyway, so a failed delete
        // only costs that time.
        if (kernelId != null && serverUrl != null) {
          hub.deleteKernel(serverUrl, kernelId, deadline);
        }
        stopServerAndWait(deadline);
        Duration pause = POLL_FIRST;
        while (!hub.deleteUser(spec.user(), deadline)) {
          deadline.check("deleting user " + spec.user());
          deadline.sleep(pause);
          pause = min(pause.multipliedBy(2), POLL_MAX);
        }
        log.info("cleaned up: server stopped, user " + spec.user() + " removed");
        cleanupOutcome = "done";
      }
    } catch (DataHubException e) {
      cleanupOutcome = "failed: " + e.getMessage();
      log.warn("cleanup failed: " + e.getMessage() + " — remove the user by hand: DELETE " + spec.hubUrl() + "hub/api/users/"
          + spec.user());
    } catch (InterruptedException e) {
      cleanupOutcome = "failed: interrupted again during cleanup";
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    return cleanupOutcome;
  }

  /** Stops the user's server (retrying while a spawn is still pending) and waits until the hub lists none. */
  private void stopServerAndWait(Deadline deadline) throws InterruptedException {
    String user = spec.user();
    Duration pause = POLL_FIRST;
    while (!hub.stopServer(user, deadline)) {
      deadline.check("stopping the server of " + user + " (a spawn is still pending)");
      deadline.sleep(pause);
      pause = min(pause.multipliedBy(2), POLL_MAX);
    }
    pause = POLL_FIRST;
    while (true) {
      Optional<JsonNode> model = hub.user(user, deadline);
      if (model.isEmpty() || (!model.get().path("servers").has("") && model.get().path("pending").isNull())) {
        return;
      }
      if (model.get().path("servers").path("").path("ready").asBoolean(false)
          && model.get().path("pending").isNull()) {
        hub.stopServer(user, deadline); // still running and not stopping: ask again
      }
      deadline.check("waiting for the server of " + user + " to stop");
      deadline.sleep(pause);
      pause = min(pause.multipliedBy(2), POLL_MAX);
    }
  }

  // ---- result ----

  private SmokeResult result(Run run, Instant startedAt, Duration duration) {
    List<CheckResult> checks = new ArrayList<>();
    for (CheckResult c : run.checks) {
      checks.add(new CheckResult(c.name(), c.status(), c.millis(), redactor.redact(c.error()), redactor.redact(c.output()),
          c.kernelMillis()));
    }
    // Checks that never ran (the flow stopped early) are listed as skipped, so reports show the whole plan.
    checks.addAll(KernelChecks.notRun(spec, checks, "not run: the smoke test stopped before it (see the failure)"));
    String failure = KernelChecks.failure(run.failure, checks);
    if (failure == null && run.cleanup != null && run.cleanup.startsWith("failed")) {
      failure = "cleanup " + run.cleanup;
    }
    String status = failure == null ? SmokeResult.PASSED : SmokeResult.FAILED;
    return new SmokeResult(spec.environment(), spec.hubUrl().toString(), run.hubVersion, spec.user(), status,
        spec.expectedImage(), redactor.redact(run.observedImage), startedAt.toString(), duration.toMillis(),
        run.spawnMillis, run.kernelStartMillis, checks, redactor.redact(failure), redactor.redact(run.cleanup));
  }

  private static long millisSince(long t0) {
    return Duration.ofNanos(System.nanoTime() - t0).toMillis();
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
