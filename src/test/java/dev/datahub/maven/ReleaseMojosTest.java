package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.image.BuiltImage;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploymentRecords;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The goals as Maven runs them (configuration objects → core), against the mock cluster, with every log line kept. */
class ReleaseMojosTest {

  @TempDir Path tmp;
  ReleaseFixture fx;
  MavenProject project;
  final CapturingMavenLog log = new CapturingMavenLog();
  final List<String> lines = log.lines;

  @BeforeEach
  void start() throws Exception {
    fx = new ReleaseFixture(tmp);
    project = new MavenProject();
    project.setFile(tmp.resolve("pom.xml").toFile());
    project.getBuild().setDirectory(tmp.resolve("target").toString());
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private <T extends AbstractReleaseMojo> T configure(T mojo) {
    mojo.project = project;
    mojo.chart = new ChartConfig();
    mojo.chart.directory = ReleaseFixture.CHART.toFile();
    mojo.values = List.of(fx.file("common.yaml", "hub:\n  replicas: 1\n").toFile());
    mojo.environments = new Environments();
    mojo.environments.staging = env(MockCluster.STAGING_CONTEXT, "staging");
    mojo.environments.prod = env(MockCluster.PROD_CONTEXT, "prod");
    mojo.commit = "0123abcd";
    mojo.keepRecords = 3;
    mojo.setLog(log);
    return mojo;
  }

  private EnvironmentConfig env(String context, String namespace) {
    EnvironmentConfig c = new EnvironmentConfig();
    c.kubeContext = context;
    c.kubeconfig = fx.cluster.kubeconfig().toFile();
    c.namespace = namespace;
    c.release = "hub";
    c.secretValues = List.of(fx.file(namespace + "-secret.yaml",
        "proxy:\n  secretToken: \"" + ReleaseFixture.SECRET_TOKEN + "\"\n").toFile());
    c.timeout = "30s";
    return c;
  }

  private void writeBuiltImage(char hex) {
    new BuiltImage("registry.example.org/datahub/user", "sha256:" + String.valueOf(hex).repeat(64),
        "sha256:" + "f".repeat(64), List.of("h" + hex), "h" + hex, "base", "sha256:" + "e".repeat(64), "00", true, null,
        false, new dev.datahub.image.ImageContents("base", "sha256:" + "e".repeat(64),
            new java.util.TreeMap<>(Map.of("hello", hex == 'a' ? "1.0" : "2.0", "six", "1.16.0")), List.of("hello"),
            List.of())).writeTo(tmp.resolve("target/datahub"));
  }

  @Test
  void stagingToProdThroughTheGoals() throws Exception {
    writeBuiltImage('a');
    configure(new DeployStagingMojo()).execute();
    Path stagingRecord = tmp.resolve("target/datahub/release/staging-record.json");
    assertTrue(Files.readString(stagingRecord).contains("\"imageDigest\" : \"sha256:" + "a".repeat(64)));
    assertTrue(Files.readString(stagingRecord).contains("\"hello\" : \"1.0\""), "the record carries the package list");
    // the deploy stands when the datahub-staging tag cannot be moved (this registry does not exist): one warning
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("[WARN] could not tag registry.example.org/datahub/user:"
        + "datahub-staging")), String.join("\n", lines));

    // Gate closed: no smoke result yet.
    MojoFailureException refused = assertThrows(MojoFailureException.class, () -> configure(new PromoteMojo()).execute());
    assertTrue(refused.getMessage().contains("no smoke test result"), refused.getMessage());

    // What the smoke-test goal does after it ran.
    new DeploymentRecords(fx.cluster.client(), "staging", "staging", 3)
        .recordVerdict(true, "sha256:" + "a".repeat(64), null, "all checks passed", "t", false);
    configure(new PromoteMojo()).execute();
    DeploymentRecord prod = new DeploymentRecords(fx.cluster.client(), "prod", "prod", 3).latest()
        .orElseThrow();
    assertEquals("sha256:" + "a".repeat(64), prod.imageDigest());
    assertEquals("0123abcd", prod.sourceCommit());

    writeBuiltImage('b');
    configure(new DeployStagingMojo()).execute();
    configure(new StatusMojo()).execute();
    assertTrue(lines.contains("[INFO] prod is BEHIND staging (different image digest or chart)"), String.join("\n", lines));
    assertTrue(lines.contains("[INFO] staging vs prod (what a promotion would change):"), String.join("\n", lines));
    assertTrue(lines.contains("[INFO]   Python package upgraded: hello 1.0 -> 2.0"), String.join("\n", lines));

    PlanMojo plan = configure(new PlanMojo());
    setField(plan, "environment", "prod");
    setField(plan, "cluster", true);
    plan.execute();
    assertTrue(lines.stream().anyMatch(l -> l.contains("~ Deployment/hub")), String.join("\n", lines));
    String diff = Files.readString(tmp.resolve("target/datahub/diff.json"));
    assertTrue(diff.contains("\"against\" : \"prod record ") && diff.contains("Python package upgraded: hello 1.0 -> 2.0"),
        diff);

    RollbackMojo rollback = configure(new RollbackMojo());
    setField(rollback, "environment", "staging");
    rollback.execute();
    assertTrue(Files.readString(tmp.resolve("target/datahub/release/staging-record.json"))
        .contains("\"kind\" : \"rollback\""));

    for (String line : lines) {
      assertFalse(line.contains(ReleaseFixture.SECRET_TOKEN), "secret in log line: " + line);
    }
    try (Stream<Path> files = Files.walk(tmp.resolve("target"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(f).contains(ReleaseFixture.SECRET_TOKEN), "secret written to " + f);
      }
    }
  }

  @Test
  void missingContextAndUndigestedImageFailWithTheFix() {
    DeployStagingMojo deploy = configure(new DeployStagingMojo());
    deploy.environments.staging.kubeContext = "gke_prod_cluster";
    MojoFailureException e = assertThrows(MojoFailureException.class, deploy::execute);
    assertTrue(e.getMessage().contains("has no context 'gke_prod_cluster'"), e.getMessage());

    DeployStagingMojo undigested = configure(new DeployStagingMojo());
    undigested.imageReference = "registry.example.org/datahub/user:latest";
    e = assertThrows(MojoFailureException.class, undigested::execute);
    assertTrue(e.getMessage().contains("has no digest"), e.getMessage());
  }

  @Test
  void everyGoalThatMayMeetSecretValuesRegistersThemFirst() throws Exception {
    writeBuiltImage('a');
    configure(new DeployStagingMojo()).execute();
    String prodOnly = "prod-only-secret-4b2d9e7f1a";
    List<AbstractReleaseMojo> goals = List.of(configure(new StatusMojo()), configure(new PlanMojo()),
        configure(new ValidateMojo()), configure(new RollbackMojo()));
    for (AbstractReleaseMojo goal : goals) {
      goal.environments.prod.secretValues = List.of(fx.file("prod-only.yaml", "hub:\n  cookieSecret: \"" + prodOnly
          + "\"\n").toFile());
      if (goal instanceof RollbackMojo) {
        setField(goal, "environment", "prod"); // nothing to roll back: fails, after registering
      }
      try {
        goal.execute();
      } catch (MojoFailureException expected) {
        // rollback of an environment that has no release
      }
      String name = goal.getClass().getSimpleName();
      assertEquals("****", goal.redactor.redact(ReleaseFixture.SECRET_TOKEN), name + " registers staging's secrets");
      assertEquals("****", goal.redactor.redact(prodOnly), name + " registers prod's secrets");
    }
  }

  @Test
  void badEnvironmentInputFailsInOneLineBeforeAnythingChanges() throws Exception {
    writeBuiltImage('a');
    DeployStagingMojo zero = configure(new DeployStagingMojo());
    zero.environments.staging.timeout = "0m";
    MojoFailureException e = assertThrows(MojoFailureException.class, zero::execute);
    assertTrue(e.getMessage().startsWith("<timeout> of environment 'staging' must be more than 0"), e.getMessage());

    int port;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Path unreachable = fx.file("unreachable-kubeconfig.yaml", Files.readString(fx.cluster.kubeconfig())
        .replaceAll("server: \"[^\"]+\"", "server: \"https://127.0.0.1:" + port + "\""));
    DeployStagingMojo far = configure(new DeployStagingMojo());
    far.environments.staging.kubeconfig = unreachable.toFile();
    e = assertThrows(MojoFailureException.class, far::execute, "a failure with the fix, not 'failed unexpectedly'");
    assertTrue(e.getMessage().startsWith("cannot reach the Kubernetes API server https://127.0.0.1:" + port
        + "/ of context '" + MockCluster.STAGING_CONTEXT + "' (environment 'staging')"), e.getMessage());
    assertTrue(fx.release(fx.staging()).store().history().isEmpty(), "nothing was deployed");
  }

  private static void setField(Object target, String name, Object value) throws Exception {
    var field = target.getClass().getDeclaredField(name);
    field.setAccessible(true);
    field.set(target, value);
  }
}
