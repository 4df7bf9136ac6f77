package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.LocalJupyterHub;
import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.image.BuiltImage;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploymentRecords;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seed process through the goals: deploy-staging (Helm against the mock cluster), smoke-test
 * against a real JupyterHub whose URL comes from the staging environment, the verdict in staging's
 * record, and promote, which trusts only that verdict and smoke-tests prod itself.
 */
class StagingToProdTest {

  static LocalJupyterHub hub;

  @TempDir Path tmp;
  ReleaseFixture fx;
  MavenProject project;
  final CapturingMavenLog log = new CapturingMavenLog();
  final List<String> lines = log.lines;
  /** What the hub's spawner reports as the running image (KubeSpawner's JUPYTER_IMAGE_SPEC). */
  String servedImage = "registry.example.org/datahub/user@sha256:" + "a".repeat(64);

  @BeforeAll
  static void startHub() {
    hub = LocalJupyterHub.start();
  }

  @AfterAll
  static void stopHub() {
    hub.close();
  }

  @BeforeEach
  void start() throws Exception {
    fx = new ReleaseFixture(tmp);
    project = new MavenProject();
    project.setFile(tmp.resolve("pom.xml").toFile());
    project.getBuild().setDirectory(tmp.resolve("target").toString());
    new BuiltImage("registry.example.org/datahub/user", "sha256:" + "a".repeat(64), "sha256:" + "f".repeat(64),
        List.of("ha"), "ha", "base", "sha256:" + "e".repeat(64), "00", true, null, false)
        .writeTo(tmp.resolve("target/datahub"));
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private <T extends AbstractReleaseMojo> T configure(T mojo, String... imports) {
    mojo.project = project;
    mojo.chart = new ChartConfig();
    mojo.chart.directory = ReleaseFixture.CHART.toFile();
    mojo.environments = HubEnvironments.of(fx, hub);
    mojo.commit = "0123abcd";
    mojo.keepRecords = 5;
    mojo.smokeTest = new SmokeTestConfiguration();
    mojo.smokeTest.imports = List.of(imports);
    mojo.smokeTest.userOptions = Map.of("image", servedImage); // the local hub sets JUPYTER_IMAGE_SPEC like KubeSpawner
    mojo.smokeTest.spawnTimeout = "60";
    mojo.environmentVariables = name -> "DATAHUB_HUB_TOKEN".equals(name) ? hub.token() : null;
    mojo.setLog(log);
    return mojo;
  }

  private DeploymentRecord latest(String environment) {
    return HubEnvironments.latest(fx, environment);
  }

  @Test
  void passedSmokeTestOpensTheGateAndProdIsTestedToo() throws Exception {
    configure(new DeployStagingMojo()).execute();
    SmokeTestMojo smoke = configure(new SmokeTestMojo(), "json", "sqlite3");
    smoke.environment = "staging";
    smoke.execute();

    DeploymentRecord staging = latest("staging");
    assertEquals(DeploymentRecord.SmokeStatus.PASSED, staging.smoke().status());
    assertEquals("sha256:" + "a".repeat(64), staging.smoke().imageDigest(), "the digest the server really ran");

    configure(new PromoteMojo(), "json").execute();
    DeploymentRecord prod = latest("prod");
    assertEquals("sha256:" + "a".repeat(64), prod.imageDigest());
    assertEquals(staging.id(), prod.promotedFrom());
    assertTrue(lines.stream().anyMatch(l -> l.contains("prod")), String.join("\n", lines));
    assertEquals(List.of(), hub.userNames(), "no test user left on the hub");
    assertNoToken();
  }

  @Test
  void failedSmokeTestClosesTheGateAndRollsStagingBack() throws Exception {
    configure(new DeployStagingMojo()).execute();
    int firstRevision = latest("staging").revision();
    new BuiltImage("registry.example.org/datahub/user", "sha256:" + "b".repeat(64), "sha256:" + "f".repeat(64),
        List.of("hb"), "hb", "base", "sha256:" + "e".repeat(64), "01", true, null, false)
        .writeTo(tmp.resolve("target/datahub"));
    configure(new DeployStagingMojo()).execute();
    servedImage = "registry.example.org/datahub/user@sha256:" + "b".repeat(64);

    SmokeTestMojo smoke = configure(new SmokeTestMojo(), "no_such_module_datahub");
    smoke.environment = "staging";
    smoke.rollbackOnSmokeFailure = true;
    MojoFailureException failed = assertThrows(MojoFailureException.class, smoke::execute);
    assertTrue(failed.getMessage().contains("No module named 'no_such_module_datahub'"), failed.getMessage());

    List<DeploymentRecord> records = new DeploymentRecords(fx.cluster.client(), "staging", "staging", 5)
        .all();
    assertTrue(records.stream().anyMatch(r -> r.smoke() != null && r.smoke().status() == DeploymentRecord.SmokeStatus.FAILED),
        "the failed verdict is recorded");
    DeploymentRecord rolledBack = latest("staging");
    assertEquals(DeploymentRecord.Kind.ROLLBACK, rolledBack.kind());
    assertEquals("sha256:" + "a".repeat(64), rolledBack.imageDigest(), "staging is back on the image that worked");
    assertTrue(rolledBack.revision() > firstRevision);

    MojoFailureException refused = assertThrows(MojoFailureException.class, () -> configure(new PromoteMojo()).execute());
    assertTrue(refused.getMessage().contains("smoke"), refused.getMessage());
    assertTrue(new DeploymentRecords(fx.cluster.client(), "prod", "prod", 5).latest().isEmpty(),
        "prod never got anything");
    assertEquals(List.of(), hub.userNames());
    assertNoToken();
  }

  @Test
  void aCheckPrintingASecretValueLeavesNoPartOfItInTheLogOrAnyReport() throws Exception {
    String secret = "hub-db-password-5e1f0c9a7b3d4e2f";
    Path secretFile = fx.file("staging-secret.yaml", "hub:\n  db:\n    password: \"" + secret + "\"\n");
    configure(new DeployStagingMojo()).execute();
    SmokeTestMojo smoke = configure(new SmokeTestMojo(), "json");
    smoke.environment = "staging";
    smoke.environments.staging.secretValues = List.of(secretFile.toFile());
    String half = "S[:len(S) // 2]";
    smoke.smokeTest.checks = List.of(new SmokeTestConfiguration.CheckConfig("prints the password",
        "S = '" + secret + "'\nprint(S)\nprint(" + half + ")\nprint(S[len(S) // 2:])\nprint('x' * 8105 + S)",
        "^never matches$"));
    assertThrows(MojoFailureException.class, smoke::execute, "the check fails, so its output is in every report");

    List<String> pieces = List.of(secret, secret.substring(0, secret.length() / 2), secret.substring(secret.length() / 2),
        secret.substring(0, 12), secret.substring(secret.length() - 12));
    for (String piece : pieces) {
      for (String line : lines) {
        assertFalse(line.contains(piece), "'" + piece + "' in log line: " + line);
      }
      try (Stream<Path> files = Files.walk(tmp.resolve("target"))) {
        for (Path f : files.filter(Files::isRegularFile).toList()) {
          assertFalse(Files.readString(f).contains(piece), "'" + piece + "' written to " + f);
        }
      }
    }
    String json = Files.readString(tmp.resolve("target/datahub/smoke-test/result.json"));
    assertTrue(json.contains("****"), json);
    assertNoToken();
  }

  /**
   * Why 4: with a smoke-level hubUrl (as docs/smoke-test.md shows, for staging) promote logged "Smoke-testing prod at
   * <prod>" and then tested the smoke-level URL. Here that URL is dead: only prod's own hub can pass.
   */
  @Test
  void promoteTestsProdsOwnHubWhateverTheSmokeTestHubUrlSays() throws Exception {
    configure(new DeployStagingMojo()).execute();
    SmokeTestMojo smoke = configure(new SmokeTestMojo(), "json");
    smoke.environment = "staging";
    smoke.execute();

    PromoteMojo promote = configure(new PromoteMojo(), "json");
    promote.smokeTest.hubUrl = "http://127.0.0.1:9/";
    promote.smokeTest.expectedImage = "registry.example.org/datahub/user@sha256:" + "9".repeat(64);
    promote.execute();
    DeploymentRecord prod = latest("prod");
    assertTrue(prod.smoke().passed(), prod.toString());
    assertEquals(hub.url().toString(), prod.smoke().hubUrl(), "the record names the hub that was tested");
    assertEquals("sha256:" + "a".repeat(64), prod.smoke().imageDigest());
    assertEquals(List.of(), hub.userNames());
    assertNoToken();
  }

  private void assertNoToken() throws Exception {
    for (String line : lines) {
      assertFalse(line.contains(hub.token()), "token in log line: " + line);
    }
    try (Stream<Path> files = Files.walk(tmp.resolve("target"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(f).contains(hub.token()), "token written to " + f);
      }
    }
  }
}
