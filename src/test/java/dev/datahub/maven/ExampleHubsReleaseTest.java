package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.MockCluster;
import dev.datahub.image.BuiltImage;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploymentRecords;
import dev.datahub.release.HelmReleaseStore;
import dev.datahub.release.StoredRelease;
import dev.datahub.release.Values;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release half of examples/datahub-style, which its integration test (offline: validate, build, render) cannot
 * reach: each hub's own chart, values and secrets go through deploy-staging and promote with the real Helm engine
 * against the mock cluster. The mojos are configured the way the example's parent pom configures them (same files,
 * {@code <hub>-staging}/{@code <hub>-prod} namespaces and releases); the placeholder secrets stand in for the real
 * ones, which is what they are for.
 */
class ExampleHubsReleaseTest {

  static final Path EXAMPLE = Path.of("examples/datahub-style");
  static final List<String> HUBS = List.of("datahub", "data100", "stat20");

  @TempDir Path tmp;
  MockCluster cluster;
  final CapturingMavenLog log = new CapturingMavenLog();

  @BeforeEach
  void start() throws IOException {
    copy(EXAMPLE, tmp.resolve("example"));
    cluster = new MockCluster(tmp.resolve("cluster"));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void everyHubDeploysToStagingAndIsPromotedWithItsOwnValues() throws Exception {
    for (String hub : HUBS) {
      Path dir = tmp.resolve("example/hubs/" + hub);
      String digest = "sha256:" + Integer.toHexString(hub.hashCode() & 0xfffffff).repeat(10).substring(0, 64);
      new BuiltImage("registry.example.org/hubs/" + hub + "-user-image", digest, "sha256:" + "f".repeat(64),
          List.of("h1"), "h1", "quay.io/jupyter/scipy-notebook", "sha256:" + "e".repeat(64), "00", true, null, false)
          .writeTo(dir.resolve("target/datahub"));

      configure(new DeployStagingMojo(), hub, dir).execute();
      DeploymentRecord staging = records(hub, "staging").latest().orElseThrow();
      assertEquals(DeploymentRecord.Result.SUCCEEDED, staging.result(), hub);
      assertEquals(digest, staging.imageDigest(), hub);

      // what smoke-test writes after a passed run; then the gate opens
      records(hub, "staging").recordVerdict(true, digest, null, "all checks passed", "t", false);
      configure(new PromoteMojo(), hub, dir).execute();
      DeploymentRecord prod = records(hub, "prod").latest().orElseThrow();
      assertEquals(digest, prod.imageDigest(), hub);
      assertEquals(staging.id(), prod.promotedFrom(), hub);

      // each environment got its own values on top of the hub's common ones, and the image by digest
      assertEquals(List.of("staging." + hub + ".example.edu"), ingressHosts(hub, "staging"));
      assertEquals(List.of(hub + ".example.edu"), ingressHosts(hub, "prod"));
      Map<String, Object> prodValues = Values.flatten(release(hub, "prod").config());
      assertEquals("h1@" + digest, prodValues.get("jupyterhub.singleuser.image.tag"), hub);
      assertEquals(hub + "-prod", prodValues.get("jupyterhub.hub.config.GenericOAuthenticator.client_id"), hub);
      assertTrue(release(hub, "prod").manifest().contains("kind: Ingress"), hub);
    }
    for (String line : log.lines) {
      assertFalse(line.contains("placeholder-"), "secret value in the log: " + line);
    }
  }

  private <T extends AbstractReleaseMojo> T configure(T mojo, String hub, Path dir) {
    MavenProject project = new MavenProject();
    project.setFile(dir.resolve("pom.xml").toFile());
    project.getBuild().setDirectory(dir.resolve("target").toString());
    mojo.project = project;
    mojo.chart = new ChartConfig();
    mojo.chart.directory = tmp.resolve("example/chart").toFile();
    mojo.values = List.of(dir.resolve("config/common.yaml").toFile());
    mojo.environments = new Environments();
    mojo.environments.staging = environment(MockCluster.STAGING_CONTEXT, hub, "staging", dir);
    mojo.environments.prod = environment(MockCluster.PROD_CONTEXT, hub, "prod", dir);
    mojo.commit = "0123abcd";
    mojo.setLog(log);
    return mojo;
  }

  private EnvironmentConfig environment(String context, String hub, String name, Path dir) {
    EnvironmentConfig c = new EnvironmentConfig();
    c.kubeContext = context;
    c.kubeconfig = cluster.kubeconfig().toFile();
    c.namespace = hub + "-" + name;
    c.release = hub + "-" + name;
    c.values = List.of(dir.resolve("config/" + name + ".yaml").toFile());
    c.secretValues = List.of(dir.resolve("secrets/" + name + ".example.yaml").toFile());
    c.timeout = "30s";
    c.imageValuesPath = "jupyterhub.singleuser.image"; // as examples/datahub-style/pom.xml: the chart wraps jupyterhub
    return c;
  }

  private DeploymentRecords records(String hub, String environment) {
    return new DeploymentRecords(cluster.client(), hub + "-" + environment, environment, 10);
  }

  private StoredRelease release(String hub, String environment) {
    return new HelmReleaseStore(cluster.client(), hub + "-" + environment, hub + "-" + environment).lastDeployed()
        .orElseThrow();
  }

  private List<String> ingressHosts(String hub, String environment) {
    return cluster.client().network().v1().ingresses().inNamespace(hub + "-" + environment).withName("jupyterhub")
        .get().getSpec().getRules().stream().map(r -> r.getHost()).toList();
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path rel = from.relativize(source);
        if (rel.toString().contains("target")) {
          continue;
        }
        Path target = to.resolve(rel.toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
