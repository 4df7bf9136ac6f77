package dev.datahub.smoke;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.Podman;
import dev.datahub.fixtures.PythonRepo;
import dev.datahub.fixtures.RealImage;
import dev.datahub.fixtures.RealImageTier;
import dev.datahub.image.BuiltImage;
import dev.datahub.log.Redactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image test on real images built FROM the Debian base: podman (the fixture's configuration,
 * found as a container engine the way the goal finds one) runs the image's own Jupyter server and
 * the smoke checks run in its kernel — no hub. Every test ends with no container left.
 */
class ImageSmokeRunTest {

  static RealImageTier tier;
  static Podman podman;
  static RealImage images;
  static ContainerEngine engine;

  @TempDir Path tmp;
  final CapturingLog log = new CapturingLog();

  @BeforeAll
  static void start() throws Exception {
    tier = RealImageTier.start();
    podman = tier.podman;
    images = tier.images;
    List<String> why = new ArrayList<>();
    engine = ContainerEngine.find("podman", podman.environment(), System.getenv("PATH"), why)
        .orElseThrow(() -> new AssertionError("podman does not answer: " + why + " — run '" + Podman.INSTALL + "'"));
  }

  @AfterAll
  static void stop() throws Exception {
    tier.close();
  }

  private SmokeSpec spec(BuiltImage built) {
    return SmokeSpec.of(java.net.URI.create("http://127.0.0.1/"))
        .withTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMinutes(4))
        .withExpectedImage(built.reference(), true);
  }

  private SmokeResult test(SmokeSpec spec, BuiltImage built, boolean fromTarball) {
    ImageSmokeRun.Image image = new ImageSmokeRun.Image(built.reference(), built.imageId(),
        fromTarball ? Path.of(built.tarball()) : null, true);
    return new ImageSmokeRun(spec, engine, image, new Redactor(), log).run();
  }

  @Test
  void pulledImageImportsTheLockedPackageAndTheContainerIsRemoved() throws Exception {
    Path pip = RealImage.debianPipWheel();
    String version = RealImage.wheelVersion(pip);
    BuiltImage built = images.build(tmp, "hub/user", RealImage.pipLock(tmp), pip.getParent());
    Path notebook = tmp.resolve("home.ipynb");
    Files.writeString(notebook, RealImage.notebook(
        "import os, pathlib\\n", "p = pathlib.Path(os.environ['HOME'], 'x.txt'); p.write_text('ok')\\n",
        "print(p.read_text(), os.getuid())"));

    SmokeResult r = test(spec(built).withImports("pip")
        .withChecks(SmokeCheck.of("locked version", "import pip; print(pip.__version__)", "^" + version.replace(".", "\\.") + "$"))
        .withNotebooks(Notebook.read(notebook)), built, false);

    assertTrue(r.passed(), r.failure() + " " + r.checks());
    assertEquals(ImageSmokeRun.ENVIRONMENT, r.environment());
    assertEquals(built.reference(), r.observedImage());
    assertEquals(List.of("image", "import pip", "locked version", "notebook home.ipynb"),
        r.checks().stream().map(CheckResult::name).toList());
    assertTrue(r.checks().get(3).output().contains("ok 1000"), "the kernel runs as the image's user: " + r.checks());
    assertEquals("done", r.cleanup());
    assertEquals(List.of(), podman.containers());

    SmokeReports reports = new SmokeReports(new Redactor());
    reports.write(r, tmp.resolve("reports"), null);
    assertEquals("passed", SmokeResult.readFrom(tmp.resolve("reports")).status());
    assertTrue(Files.readString(tmp.resolve("reports").resolve(SmokeReports.JUNIT_FILE)).contains("import pip"));
  }

  @Test
  void tarballImageWithoutThePackageFailsNamingTheModule() throws Exception {
    Path wheels = Files.createDirectories(tmp.resolve("wheels"));
    Path greet = PythonRepo.greetUtil().writeTo(wheels);
    BuiltImage built = images.build(tmp, "hub/user",
        LockWriter.lock().pin("greet-util", "1.2.0", List.of(greet)).writeTo(tmp.resolve("requirements.lock")), wheels, false);
    assertFalse(built.pushed());

    SmokeResult r = test(spec(built).withImports("greet_util", "pip"), built, true);

    assertFalse(r.passed());
    assertEquals("check 'import pip' failed: ModuleNotFoundError: No module named 'pip'", r.failure());
    assertTrue(r.checks().stream().anyMatch(c -> c.name().equals("import greet_util") && c.passed()), r.checks().toString());
    assertTrue(r.checks().stream().anyMatch(c -> c.name().equals("image") && c.passed()), "the loaded image is the built one");
    assertEquals(List.of(), podman.containers());
  }

  @Test
  void serverThatCannotStartFailsWithItsOwnError() throws Exception {
    BuiltImage built = images.build(tmp, "hub/broken", RealImage.lockThatBreaksTheServer(tmp), tmp.resolve("wheels"));

    SmokeResult r = test(spec(built).withImports("json"), built, false);

    assertFalse(r.passed());
    assertTrue(r.failure().startsWith("the image's Jupyter server exited with status "), r.failure());
    assertTrue(r.failure().contains("RuntimeError: " + RealImage.BROKEN_SERVER), r.failure());
    assertTrue(r.checks().stream().allMatch(c -> CheckResult.SKIPPED.equals(c.status())), r.checks().toString());
    assertEquals(List.of(), podman.containers());
  }

  @Test
  void interruptedTestRemovesTheContainer() throws Exception {
    BuiltImage built = images.build(tmp, "hub/user", null, null);
    AtomicReference<SmokeResult> result = new AtomicReference<>();
    Thread runner = new Thread(() -> result.set(test(spec(built)
        .withChecks(SmokeCheck.of("sleeps", "import time; print('sleeping', flush=True); time.sleep(120)", null)), built, false)));
    runner.start();
    long end = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    while (log.lines().stream().noneMatch(l -> l.contains("ready in")) && runner.isAlive() && System.nanoTime() < end) {
      Thread.sleep(100);
    }
    assertFalse(podman.containers().isEmpty(), "the container runs while the check sleeps");
    Thread.sleep(1500); // the check is now running in the kernel
    runner.interrupt();
    runner.join(Duration.ofMinutes(2).toMillis());

    assertEquals("image test interrupted", result.get().failure());
    assertEquals("done", result.get().cleanup());
    assertEquals(List.of(), podman.containers());
  }

  @Test
  void noEngineIsOneLineWithTheInstallCommand() {
    List<String> why = new ArrayList<>();
    Optional<ContainerEngine> none = ContainerEngine.find(null, Map.of(), tmp.toString(), why);
    assertTrue(none.isEmpty());
    assertEquals(List.of(), why, "nothing on this PATH");

    Optional<ContainerEngine> missing = ContainerEngine.find("no-such-engine", Map.of(), System.getenv("PATH"), why);
    assertTrue(missing.isEmpty());
    assertEquals(List.of("the configured container engine 'no-such-engine' is not on PATH"), why);
  }
}
