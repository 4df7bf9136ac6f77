package dev.datahub.smoke;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.image.BuiltImage;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.smoke.KernelSession.Execution;
import dev.datahub.smoke.KernelSession.Outcome;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The smoke checks against the built image itself, before anything reaches a hub: the machine's
 * container engine runs the image with its own Jupyter server ({@code jupyter-server}, else the
 * classic {@code jupyter-notebook}) on a free loopback port with a random token, host network; the
 * same imports, snippets and notebooks as {@code smoke-test} run in a kernel over the Jupyter Server
 * REST and WebSocket API; the image check compares the container's image with the one built. The
 * container is removed whatever happens — failure, timeout, interrupt, JVM shutdown. Failures are
 * reported in the result, never thrown.
 */
public final class ImageSmokeRun {

  /** The environment name in reports. */
  public static final String ENVIRONMENT = "image";
  private static final String USER = "datahub-image-test";
  /**
   * Runs whichever Jupyter server the image has — jupyter_server (docker-stacks), else the classic
   * notebook server, as a command or as a module (Debian's python3-notebook has no command); all read
   * the token from {@code JUPYTER_TOKEN}.
   */
  private static final String SERVER_SCRIPT = "if command -v jupyter-server >/dev/null 2>&1; then exec jupyter-server \"$@\"; "
      + "elif command -v jupyter-notebook >/dev/null 2>&1; then exec jupyter-notebook \"$@\"; "
      + "elif python3 -c 'import jupyter_server' >/dev/null 2>&1; then exec python3 -m jupyter_server \"$@\"; "
      + "else exec python3 -m notebook \"$@\"; fi";
  private static final Duration POLL = Duration.ofMillis(100);
  private static final int OUTPUT_LINES = 200;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The image to test.
   *
   * @param reference {@code repository@sha256:…} (what the reports name and what is pulled)
   * @param imageId the config digest {@code sha256:…}, which engines use as the image's id
   * @param tarball the image as a docker-archive tarball, loaded instead of pulled; null to pull
   * @param plainHttp the registry is reached over plain HTTP (podman: {@code --tls-verify=false})
   */
  public record Image(String reference, String imageId, Path tarball, boolean plainHttp) {

    /**
     * The image a build made: pulled from its registry, or loaded from its tarball when it was not pushed; a registry
     * on this machine is reached over plain HTTP (podman needs {@code --tls-verify=false} for it).
     */
    public static Image of(BuiltImage built) {
      String repository = built.repository();
      return new Image(built.reference(), built.imageId(),
          built.pushed() || built.tarball() == null ? null : Path.of(built.tarball()),
          repository.startsWith("localhost:") || repository.startsWith("localhost/") || repository.startsWith("127."));
    }
  }

  private final SmokeSpec spec;
  private final ContainerEngine engine;
  private final Image image;
  private final Redactor redactor;
  private final StepLog log;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  // state shared with cleanup (which may run from a shutdown hook)
  private final String container = "datahub-image-test-" + hex(6);
  private Process server;
  private KernelSession kernel;
  private String cleanupOutcome;
  private final Deque<String> output = new ArrayDeque<>();

  /** {@code spec}'s hub URL, user, user options and image settings are not used; its checks and timeouts are. */
  public ImageSmokeRun(SmokeSpec spec, ContainerEngine engine, Image image, Redactor redactor, StepLog log) {
    this.spec = spec;
    this.engine = engine;
    this.image = image;
    this.redactor = redactor;
    this.log = redactor.wrap(log);
  }

  /** Runs the checks in a container of the image and removes it; the result says passed or failed and why. */
  public SmokeResult run() {
    Instant startedAt = Instant.now();
    long t0 = System.nanoTime();
    Thread hook = new Thread(this::cleanup, "datahub-image-test-cleanup");
    Runtime.getRuntime().addShutdownHook(hook);
    Run run = new Run();
    boolean interrupted = false;
    try {
      flow(run, Deadline.after(spec.totalTimeout(), "totalTimeout"));
    } catch (DataHubException e) {
      run.failure = e.getMessage();
    } catch (InterruptedException e) {
      interrupted = true;
      run.failure = "image test interrupted";
    } finally {
      run.cleanup = cleanup();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook is running or ran; cleanup is idempotent
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    List<CheckResult> checks = new ArrayList<>();
    for (CheckResult c : run.checks) {
      checks.add(new CheckResult(c.name(), c.status(), c.millis(), redactor.redact(c.error()), redactor.redact(c.output()),
          c.kernelMillis()));
    }
    checks.addAll(KernelChecks.notRun(spec, checks, "not run: the image test stopped before it (see the failure)"));
    String failure = KernelChecks.failure(run.failure, checks);
    if (failure == null && run.cleanup.startsWith("failed")) {
      failure = "cleanup " + run.cleanup;
    }
    return new SmokeResult(ENVIRONMENT, run.serverUrl, run.serverVersion, USER,
        failure == null ? SmokeResult.PASSED : SmokeResult.FAILED, image.reference(), run.observedImage,
        startedAt.toString(), Duration.ofNanos(System.nanoTime() - t0).toMillis(), run.startMillis, run.kernelStartMillis,
        checks, redactor.redact(failure), run.cleanup);
  }

  private static final class Run {
    String serverUrl;
    String serverVersion;
    String observedImage;
    long startMillis;
    long kernelStartMillis;
    final List<CheckResult> checks = new ArrayList<>();
    String failure;
    String cleanup;
  }

  private void flow(Run run, Deadline total) throws InterruptedException {
    String runnable = prepareImage(total);
    int port = freePort();
    String token = hex(24);
    redactor.register(token);
    URI url = URI.create("http://127.0.0.1:" + port + "/");
    run.serverUrl = url.toString();

    long start = System.nanoTime();
    startServer(runnable, port, token);
    Deadline ready = Deadline.after(spec.spawnTimeout(), "spawnTimeout").min(total);
    run.serverVersion = awaitServer(url, ready);
    run.startMillis = KernelChecks.millisSince(start);
    log.info("Jupyter server " + run.serverVersion + " of " + image.reference() + " ready in "
        + Deadline.seconds(Duration.ofMillis(run.startMillis)) + " (" + engine.name() + ", container " + container + ")");

    CheckResult imageCheck = imageCheck();
    run.observedImage = imageCheck.passed() ? image.reference() : null;
    if (spec.expectedImage() != null) {
      run.checks.add(imageCheck);
    }

    long kernelStart = System.nanoTime();
    HubToken serverToken = new HubToken(token, "random token of the image test");
    HubClient server = new HubClient(url, serverToken, log);
    String kernelId = server.startKernel(url, total);
    kernel = KernelSession.open(server.http(), server.kernelChannels(url, kernelId), serverToken, USER,
        total.remaining().compareTo(HubClient.REQUEST_TIMEOUT) < 0 ? total.remaining() : HubClient.REQUEST_TIMEOUT);
    run.kernelStartMillis = KernelChecks.millisSince(kernelStart);

    Execution first = KernelChecks.execute(kernel, spec, "print('ok')", total);
    String broken = first.outcome() == Outcome.OK ? null : "not run: the kernel did not run its first code (" + first.error() + ")";
    if (broken != null && spec.snippetChecks().isEmpty() && spec.notebooks().isEmpty()) {
      throw new DataHubException("the kernel did not run its first code: " + first.error()
          + " — check the image's Python kernel (ipykernel)");
    }
    new KernelChecks(spec, redactor, log).run(code -> KernelChecks.execute(kernel, spec, code, total), total, broken, run.checks);
  }

  /** Loads the tarball or pulls the reference; returns what {@code run} takes. */
  private String prepareImage(Deadline total) {
    long t = System.nanoTime();
    String runnable;
    if (image.tarball() != null) {
      if (!Files.isRegularFile(image.tarball())) {
        throw new DataHubException("no image tarball at " + image.tarball() + " — run {} first", Fix.goal("build-image"));
      }
      ContainerEngine.Result loaded = engine.run(List.of("load", "-i", image.tarball().toString()), seconds(total));
      if (!loaded.ok()) {
        throw new DataHubException(engine.name() + " could not load " + image.tarball() + ": " + loaded.tail(3)
            + " — check the tarball ({} writes it) and the engine's storage", Fix.goal("build-image"));
      }
      runnable = image.imageId().substring("sha256:".length());
    } else {
      List<String> pull = new ArrayList<>(List.of("pull"));
      if (image.plainHttp() && engine.isPodman()) {
        pull.add("--tls-verify=false");
      }
      pull.add(image.reference());
      ContainerEngine.Result pulled = engine.run(pull, seconds(total));
      if (!pulled.ok()) {
        throw new DataHubException(engine.name() + " could not pull " + image.reference() + ": " + pulled.tail(3)
            + " — log the engine in to the registry (" + engine.name() + " login), or build without <to> to test the tarball");
      }
      runnable = image.reference();
    }
    log.info("Image " + image.reference() + " " + (image.tarball() != null ? "loaded" : "pulled") + " into "
        + engine.name() + " in " + Deadline.seconds(Duration.ofNanos(System.nanoTime() - t)));
    return runnable;
  }

  private synchronized void startServer(String runnable, int port, String token) {
    List<String> args = new ArrayList<>(List.of("run", "--rm", "--name", container, "--network=host",
        "--env", "JUPYTER_TOKEN", "--env", "JUPYTER_IMAGE_SPEC=" + image.reference(), runnable,
        "sh", "-c", SERVER_SCRIPT, "sh", "--ip=127.0.0.1", "--port=" + port, "--no-browser", "--allow-root"));
    server = engine.withEnvironment(Map.of("JUPYTER_TOKEN", token)).start(args);
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          synchronized (output) {
            output.addLast(line);
            if (output.size() > OUTPUT_LINES) {
              output.removeFirst();
            }
          }
          log.debug("[" + container + "] " + line);
        }
      } catch (IOException ignored) {
        // the container went away
      }
    }, "datahub-image-test-output");
    reader.setDaemon(true);
    reader.start();
  }

  /** Waits until {@code GET /api} answers; fails at once with the server's own last lines when the container exits. */
  private String awaitServer(URI url, Deadline deadline) throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(url.resolve("api")).timeout(Duration.ofSeconds(2)).GET().build();
    while (true) {
      if (!server.isAlive()) {
        server.waitFor(2, TimeUnit.SECONDS);
        throw new DataHubException("the image's Jupyter server exited with status " + server.exitValue()
            + " before it answered: " + outputTail(8) + " — run the image yourself to see all of its output: "
            + engine.name() + " run --rm --network=host " + image.reference() + " (or mvn -X)");
      }
      try {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return JSON.readTree(r.body()).path("version").asText("?");
        }
      } catch (IOException e) {
        // not listening yet
      }
      if (deadline.remaining().isZero() || deadline.remaining().isNegative()) {
        throw new DataHubException("the image's Jupyter server did not answer within " + deadline.name() + " "
            + Deadline.seconds(deadline.budget()) + " (last output: " + outputTail(4) + ") — raise " + deadline.name());
      }
      deadline.sleep(POLL);
    }
  }

  /** The container's image must be the one built (engines name it by config digest, some by manifest digest). */
  private CheckResult imageCheck() {
    ContainerEngine.Result inspect = engine.run(List.of("inspect", "--format", "{{.Image}}", container), 60);
    String id = inspect.output().strip().replaceFirst("^sha256:", "");
    String want = image.imageId() == null ? "" : image.imageId().replaceFirst("^sha256:", "");
    String manifest = String.valueOf(dev.datahub.image.Digest.in(image.reference())).replaceFirst("^sha256:", "");
    if (!inspect.ok()) {
      return new CheckResult("image", CheckResult.FAILED, 0, "cannot inspect the container: " + inspect.tail(2), null);
    }
    if (id.equals(want) || id.equals(manifest)) {
      return new CheckResult("image", CheckResult.PASSED, 0, null, image.reference() + " (image id sha256:" + id + ")");
    }
    return new CheckResult("image", CheckResult.FAILED, 0, "the container runs image sha256:" + id + ", expected "
        + image.imageId() + " (" + image.reference() + ") — the engine resolved another image", null);
  }

  /** Closes the kernel connection and removes the container; runs once (the shutdown hook may race the main thread). */
  synchronized String cleanup() {
    if (cleanupOutcome != null) {
      return cleanupOutcome;
    }
    if (kernel != null) {
      kernel.close();
    }
    if (server == null) {
      cleanupOutcome = "done";
      return cleanupOutcome;
    }
    ContainerEngine.Result removed = engine.run(List.of("rm", "--force", container), 60);
    try {
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly();
      }
    } catch (InterruptedException e) {
      server.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    boolean gone = engine.run(List.of("container", "inspect", container), 30).exitCode() != 0;
    if (gone) {
      log.info("cleaned up: container " + container + " removed");
      cleanupOutcome = "done";
    } else {
      cleanupOutcome = "failed: container " + container + " is still there (" + removed.tail(1) + ") — remove it with "
          + engine.name() + " rm -f " + container;
      log.warn("cleanup " + cleanupOutcome);
    }
    return cleanupOutcome;
  }

  private String outputTail(int lines) {
    synchronized (output) {
      List<String> all = output.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
      String tail = String.join(" / ", all.subList(Math.max(0, all.size() - lines), all.size()));
      return tail.isEmpty() ? "no output" : tail;
    }
  }

  private static long seconds(Deadline total) {
    return Math.max(1, total.remaining().toSeconds());
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new DataHubException("no free loopback port for the image's Jupyter server: " + e.getMessage());
    }
  }

  private static String hex(int bytes) {
    byte[] b = new byte[bytes];
    new SecureRandom().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
