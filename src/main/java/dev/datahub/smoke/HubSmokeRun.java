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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Tests a hub the way a person would: log in (a test user), start a server, open a kernel, run
 * the checks, look at which image the server runs — and always clean up, on success, failure,
 * timeout, interrupt and JVM shutdown. Failures are reported in the result, never thrown, so the
 * reports are written in every case.
 */
public final class HubSmokeRun {

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
  private Runnable whileSpawning = () -> { };

  public HubSmokeRun(SmokeSpec spec, HubToken token, Redactor redactor, StepLog log) {
    this.spec = spec;
    this.redactor = redactor;
    redactor.register(token.value());
    this.log = redactor.wrap(log);
    this.hub = new HubClient(spec.hubUrl(), token, this.log);
  }

  /**
   * Work for a spare thread while the hub spawns the server (the main thread only waits then), e.g.
   * {@link SmokeReports#warmUp}. It starts once the spawn request is sent; whatever it throws is ignored, and the run
   * never waits for it.
   */
  public HubSmokeRun whileSpawning(Runnable task) {
    this.whileSpawning = task;
    return this;
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
    run.hubVersion = preflight(total);
    log.info("JupyterHub " + run.hubVersion + " at " + spec.hubUrl() + " (" + spec.environment() + "), test user " + user);

    userTouched = true;
    // Created straight away (one request, not a lookup first); only a user left by an earlier run is looked at.
    if (!hub.createUser(user, total)) {
      Optional<JsonNode> existing = hub.user(user, total);
      if (existing.isPresent() && existing.get().path("servers").has("")) {
        log.warn("user " + user + " still has a server from an earlier run; stopping it so the new deploy is tested");
        stopServerAndWait(total);
      }
    }

    long spawnStart = System.nanoTime();
    serverUrl = spawn(user, total);
    run.spawnMillis = Duration.ofNanos(System.nanoTime() - spawnStart).toMillis();
    log.info("server of " + user + " ready in " + Deadline.seconds(Duration.ofMillis(run.spawnMillis)));

    long kernelStart = System.nanoTime();
    kernelId = hub.startKernel(serverUrl, total);
    Duration openTimeout = min(HubClient.REQUEST_TIMEOUT, total.remaining());
    try {
      kernel = KernelSession.open(hub.http(), hub.kernelChannels(serverUrl, kernelId), hub.token(), user, openTimeout);
    } catch (DataHubException e) {
      total.check("opening the kernel WebSocket"); // the open was cut by totalTimeout: say that, not "did not open"
      throw e;
    }
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

  /**
   * The hub's version, its health and the token's scopes: three read-only requests sent at once. A failure is reported
   * as a sequential run would report it (the version first: a URL that is not a hub fails all three), and the call
   * returns only when all three have ended, so nothing is in flight when cleanup closes the client.
   */
  private String preflight(Deadline total) throws InterruptedException {
    FutureTask<Void> health = new FutureTask<>(() -> {
      hub.health(total);
      return null;
    });
    FutureTask<Void> scopes = new FutureTask<>(() -> {
      hub.requireScopes(total);
      return null;
    });
    startDaemon(health, "datahub-smoke-health");
    startDaemon(scopes, "datahub-smoke-scopes");
    String version;
    try {
      version = hub.version(total);
    } catch (RuntimeException | InterruptedException e) {
      awaitQuietly(health);
      awaitQuietly(scopes);
      throw e;
    }
    await(health);
    await(scopes);
    return version;
  }

  private static void startDaemon(Runnable task, String name) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }

  /** Waits for {@code task}; its failure is rethrown as it was thrown. On an interrupt the task is interrupted too. */
  private static void await(FutureTask<Void> task) throws InterruptedException {
    try {
      task.get();
    } catch (InterruptedException e) {
      task.cancel(true);
      awaitQuietly(task);
      throw e;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof InterruptedException i) {
        throw i;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  /** Waits for {@code task} to end whatever its outcome (another failure is being reported). */
  private static void awaitQuietly(FutureTask<Void> task) throws InterruptedException {
    try {
      task.get();
    } catch (ExecutionException | java.util.concurrent.CancellationException ignored) {
      // the failure being reported comes first
    } catch (InterruptedException e) {
      task.cancel(true);
      throw e;
    }
  }

  /** Starts the server and waits until it is ready; the hub's own reason is reported on failure. */
  private URI spawn(String user, Deadline total) throws InterruptedException {
    Deadline deadline = Deadline.after(spec.spawnTimeout(), "spawnTimeout").min(total);
    log.info("starting the server of " + user + (spec.userOptions().isEmpty() ? "" : " with options " + spec.userOptions()));
    Runnable spare = whileSpawning;
    startDaemon(() -> {
      try {
        spare.run();
      } catch (RuntimeException | LinkageError ignored) {
        // only time was at stake
      }
    }, "datahub-smoke-while-spawning");
    try {
      HubClient.Response started = hub.startServer(user, spec.userOptions(), deadline);
      if (started != null && started.status() >= 400 && !started.message().contains("already")) {
        throw new DataHubException("spawn failed: " + spawnReason(user, started.message()) + " — " + spawnFix());
      }
      Poll poll = Poll.until(deadline);
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
        poll.pause("waiting for the server of " + user);
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
        Poll poll = Poll.until(deadline);
        while (!hub.deleteUser(spec.user(), deadline)) {
          poll.pause("deleting user " + spec.user());
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
    Poll busy = Poll.until(deadline);
    HubClient.Stop stop;
    while ((stop = hub.stopServer(user, deadline)) == HubClient.Stop.BUSY) {
      busy.pause("stopping the server of " + user + " (a spawn is still pending)");
    }
    if (stop == HubClient.Stop.GONE) {
      return; // HTTP 204: the hub answered once the server had stopped
    }
    Poll poll = Poll.until(deadline);
    while (true) {
      Optional<JsonNode> model = hub.user(user, deadline);
      if (model.isEmpty() || (!model.get().path("servers").has("") && model.get().path("pending").isNull())) {
        return;
      }
      if (model.get().path("servers").path("").path("ready").asBoolean(false)
          && model.get().path("pending").isNull()) {
        hub.stopServer(user, deadline); // still running and not stopping: ask again
      }
      poll.pause("waiting for the server of " + user + " to stop");
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
