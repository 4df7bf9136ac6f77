package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.CapturingLog;
import dev.datahub.fixtures.DebianBase;
import dev.datahub.fixtures.LocalJupyterHub;
import dev.datahub.fixtures.LockWriter;
import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.Podman;
import dev.datahub.fixtures.PythonRepo;
import dev.datahub.fixtures.RealImage;
import dev.datahub.fixtures.RealImageTier;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.image.BuiltImage;
import dev.datahub.log.Redactor;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploymentRecords;
import dev.datahub.smoke.HubSmokeRun;
import dev.datahub.smoke.HubToken;
import dev.datahub.smoke.SmokeResult;
import dev.datahub.smoke.SmokeSpec;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed's scenario for real: a lock that adds a package → the image built FROM a real Debian
 * single-user base (the plugin's core: Jib and the Python layers) → deploy-staging (Helm, mock
 * cluster) → a real JupyterHub spawns exactly that digest under podman → smoke-test imports the
 * package at its locked version in that image, a notebook writes into {@code $HOME}, the image check
 * sees the digest → promote. And the failing paths, in the same real image.
 */
class RealImageScenarioTest {

  static RealImageTier tier;
  static Podman podman;
  static LocalJupyterHub hub;

  @TempDir Path tmp;
  ReleaseFixture fx;
  MavenProject project;
  final CapturingMavenLog log = new CapturingMavenLog();
  RealImage images;

  @BeforeAll
  static void start() throws Exception {
    tier = RealImageTier.start();
    podman = tier.podman;
    hub = LocalJupyterHub.startWithPodman(podman);
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (hub != null) {
        hub.close();
      }
    } finally {
      tier.close();
    }
  }

  @BeforeEach
  void project() throws Exception {
    fx = new ReleaseFixture(tmp);
    project = new MavenProject();
    project.setFile(tmp.resolve("pom.xml").toFile());
    project.getBuild().setDirectory(tmp.resolve("target").toString());
    images = tier.images;
    Files.createDirectories(tmp.resolve("notebooks"));
    Files.writeString(tmp.resolve("notebooks/welcome.ipynb"), RealImage.notebook("print('welcome')"));
  }

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void addedWheelImportsAtItsLockedVersionInTheImageTheHubRuns() throws Exception {
    Path pip = RealImage.debianPipWheel();
    String version = RealImage.wheelVersion(pip);
    BuiltImage built = build(LockWriter.lock().pin("pip", version, List.of(pip)), pip.getParent());

    configure(new DeployStagingMojo()).execute();
    hub.deploy(built.reference()); // the Helm upgrade's singleuser.image, rolled out
    Path writesHome = tmp.resolve("writes-home.ipynb");
    Files.writeString(writesHome, RealImage.notebook(
        "import os, pathlib\\n",
        "p = pathlib.Path(os.environ['HOME'], 'datahub-smoke.txt')\\n",
        "p.write_text('written by ' + str(os.getuid()))\\n",
        "print(p.read_text(), os.environ['HOME'])"));
    SmokeTestMojo smoke = configure(new SmokeTestMojo());
    smoke.environment = "staging";
    smoke.smokeTest.imports = List.of("pip");
    smoke.smokeTest.checks = List.of(
        new SmokeTestConfiguration.CheckConfig("locked version",
            "import pip, importlib.metadata as m; print(pip.__version__, m.version('pip'), pip.__file__)",
            "^" + version.replace(".", "\\.") + " " + version.replace(".", "\\.") + " " + DebianBase.SITE_PACKAGES + "/pip/"),
        new SmokeTestConfiguration.CheckConfig("script from the wheel",
            "import subprocess; print(subprocess.run(['" + DebianBase.SCRIPTS + "/pip', '--version'], capture_output=True,"
                + " text=True, check=True).stdout)", "^pip " + version.replace(".", "\\.") + " from "));
    smoke.smokeTest.notebooks = List.of(new File(writesHome.toString()));
    smoke.execute();

    SmokeResult result = SmokeResult.readFrom(tmp.resolve("target/datahub/smoke-test"));
    assertTrue(result.passed(), result.failure() + " " + result.checks());
    assertEquals(built.reference(), result.observedImage(), "the server ran exactly the built digest");
    assertTrue(result.checks().stream().anyMatch(c -> c.name().equals("notebook writes-home.ipynb")
        && c.output().contains("written by 1000 /home/jovyan")), result.checks().toString());
    assertEquals(built.digest(), latest("staging").smoke().imageDigest());

    configure(new PromoteMojo()).execute();
    assertEquals(built.digest(), latest("prod").imageDigest());
    assertNothingLeft();
  }

  @Test
  void lockWithoutThePackageFailsNamingTheModuleRollsStagingBackAndPromoteRefuses() throws Exception {
    Path pip = RealImage.debianPipWheel();
    BuiltImage good = build(LockWriter.lock().pin("pip", RealImage.wheelVersion(pip), List.of(pip)), pip.getParent());
    configure(new DeployStagingMojo()).execute();

    Path wheels = Files.createDirectories(tmp.resolve("wheels"));
    Path greet = PythonRepo.greetUtil().writeTo(wheels);
    BuiltImage without = build(LockWriter.lock().pin("greet-util", "1.2.0", List.of(greet)), wheels);
    configure(new DeployStagingMojo()).execute();
    hub.deploy(without.reference());

    SmokeTestMojo smoke = configure(new SmokeTestMojo());
    smoke.environment = "staging";
    smoke.smokeTest.imports = List.of("greet_util", "pip");
    smoke.rollbackOnSmokeFailure = true;
    MojoFailureException failed = assertThrows(MojoFailureException.class, smoke::execute);
    assertTrue(failed.getMessage().contains("No module named 'pip'"), failed.getMessage());
    SmokeResult result = SmokeResult.readFrom(tmp.resolve("target/datahub/smoke-test"));
    assertEquals(without.reference(), result.observedImage(), "it was the new image that failed");
    assertTrue(result.checks().stream().anyMatch(c -> c.name().equals("import greet_util") && c.passed()),
        "the packages the lock has do import: " + result.checks());

    DeploymentRecord rolledBack = latest("staging");
    assertEquals(DeploymentRecord.Kind.ROLLBACK, rolledBack.kind());
    assertEquals(good.digest(), rolledBack.imageDigest(), "staging is back on the image that had the package");
    MojoFailureException refused = assertThrows(MojoFailureException.class, () -> configure(new PromoteMojo()).execute());
    assertTrue(refused.getMessage().contains("smoke"), refused.getMessage());
    assertTrue(new DeploymentRecords(fx.cluster.client(), "prod", "prod", 5).latest().isEmpty(),
        "prod never got anything");
    assertNothingLeft();
  }

  @Test
  void serverThatCannotStartIsReportedWithItsOwnErrorNotATimeout() throws Exception {
    // A locked package that shadows a module the single-user server imports: the server dies at start.
    BuiltImage broken = images.build(tmp, "hub/broken", RealImage.lockThatBreaksTheServer(tmp), tmp.resolve("wheels"));
    hub.deploy(broken.reference());

    SmokeSpec spec = SmokeSpec.of(hub.url()).withImports("json")
        .withTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMinutes(3))
        .withExpectedImage(broken.reference(), true);
    SmokeResult result = new HubSmokeRun(spec, new HubToken(hub.token(), "test"), new Redactor(), new CapturingLog()).run();
    assertFalse(result.passed());
    assertTrue(result.failure().contains("RuntimeError: " + RealImage.BROKEN_SERVER),
        "the server's own error, not 'spawn failed' alone: " + result.failure());
    assertTrue(result.failure().contains("exited with status"), result.failure());
    assertNothingLeft();
  }

  @Test
  void notebooksMappedUnderTheHomeKeepItTheUsersAndWritable() throws Exception {
    // What the README once suggested: content in /home/jovyan/examples owned by jovyan. The content layer must not
    // turn /home/jovyan into root:root 0755 (the server then cannot even create ~/.local).
    BuiltImage built = images.build(tmp, "hub/home", null, null, true, "/home/jovyan/examples");
    hub.deploy(built.reference());
    Path home = tmp.resolve("home.ipynb");
    Files.writeString(home, RealImage.notebook(
        "import os, pathlib, subprocess\\n",
        "pathlib.Path(os.environ['HOME'], 'written.txt').write_text('ok')\\n",
        "h = os.environ['HOME']\\n",
        "print(subprocess.run(['stat', '-c', '%n %a %u:%g', h, h + '/examples', h + '/examples/welcome.ipynb'],"
            + " capture_output=True, text=True, check=True).stdout)"));
    SmokeSpec spec = SmokeSpec.of(hub.url()).withNotebooks(dev.datahub.smoke.Notebook.read(home))
        .withTimeouts(Duration.ofMinutes(2), Duration.ofSeconds(30), Duration.ofMinutes(3))
        .withExpectedImage(built.reference(), true);
    SmokeResult result = new HubSmokeRun(spec, new HubToken(hub.token(), "test"), new Redactor(), new CapturingLog()).run();

    assertTrue(result.passed(), result.failure() + " " + result.checks() + "\n" + hub.serverLog(SmokeSpec.DEFAULT_USER));
    String stat = result.checks().get(1).output();
    assertTrue(stat.contains("/home/jovyan 2775 1000:100"), "the base's home, setgid kept: " + stat);
    assertTrue(stat.contains("/home/jovyan/examples 755 1000:100"), stat);
    assertTrue(stat.contains("/home/jovyan/examples/welcome.ipynb 644 1000:100"), stat);
    assertNothingLeft();
  }

  private BuiltImage build(LockWriter lock, Path wheels) throws Exception {
    Path file = lock.writeTo(tmp.resolve("requirements.lock"));
    return images.build(tmp, "hub/user", file, wheels);
  }

  private <T extends AbstractReleaseMojo> T configure(T mojo) {
    mojo.project = project;
    mojo.chart = new ChartConfig();
    mojo.chart.directory = ReleaseFixture.CHART.toFile();
    mojo.environments = HubEnvironments.of(fx, hub);
    mojo.commit = "0123abcd";
    mojo.keepRecords = 5;
    mojo.smokeTest = new SmokeTestConfiguration();
    mojo.smokeTest.spawnTimeout = "120";
    mojo.environmentVariables = name -> "DATAHUB_HUB_TOKEN".equals(name) ? hub.token() : null;
    mojo.setLog(log);
    return mojo;
  }

  private DeploymentRecord latest(String environment) {
    return HubEnvironments.latest(fx, environment);
  }

  private static void assertNothingLeft() {
    assertEquals(List.of(), hub.userNames(), "no test user left on the hub");
    assertEquals(List.of(), podman.containers(), "no container left");
  }
}
