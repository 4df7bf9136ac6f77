package dev.datahub.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.LocalJupyterHub;
import dev.datahub.fixtures.LocalRegistry;
import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.image.BuiltImage;
import dev.datahub.release.DeploySummary;
import dev.datahub.release.HelmReleaseStore;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reactor of three hubs with shared parent configuration, run as {@code mvn -T 2 deploy} would run it: each hub's
 * build-image → deploy-staging → smoke-test in-process, two hubs at a time, against a real registry, the mock cluster
 * (real Helm engine) and a real JupyterHub. After one hub's notebook changed, only that hub builds, pushes, deploys and
 * is smoke-tested; the others say they were skipped and why.
 */
class MultiHubReactorTest {

  static final List<String> HUBS = List.of("hub-a", "hub-b", "hub-c");

  static LocalRegistry registry;
  static LocalJupyterHub jupyterHub;

  @TempDir Path tmp;
  final Map<String, List<String>> lines = new ConcurrentHashMap<>();

  @BeforeAll
  static void startServers() throws Exception {
    registry = LocalRegistry.start();
    jupyterHub = LocalJupyterHub.start();
  }

  @AfterAll
  static void stopServers() throws Exception {
    if (jupyterHub != null) {
      jupyterHub.close();
    }
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void onlyTheChangedHubBuildsDeploysAndIsSmokeTested() throws Exception {
    try (ReleaseFixture fx = new ReleaseFixture(tmp)) {
      Parent parent = new Parent(fx);
      for (String hub : HUBS) {
        Path notebooks = tmp.resolve(hub + "/notebooks");
        Files.createDirectories(notebooks);
        Files.writeString(notebooks.resolve("welcome.ipynb"), "{\"cells\": [], \"metadata\": {\"hub\": \"" + hub + "\"}}\n");
        Files.writeString(tmp.resolve(hub + "/staging.yaml"), "hub:\n  replicas: 1\n");
      }

      reactor(parent); // first build: every hub is new
      for (String hub : HUBS) {
        DeploySummary first = summary(hub);
        assertEquals(DeploySummary.DEPLOYED, first.action(), hub);
        assertEquals("passed", first.smoke(), hub);
      }

      Files.writeString(tmp.resolve("hub-b/notebooks/welcome.ipynb"), "{\"cells\": [{\"cell_type\": \"markdown\", "
          + "\"source\": \"changed\", \"metadata\": {}}], \"metadata\": {}}\n");
      lines.clear();
      long mark = registry.mark();
      reactor(parent);

      // build-image: only hub-b pushes a manifest; the others are one registry request each
      assertEquals(List.of("hubs/hub-b"), registry.manifestPutsSince(mark).stream()
          .map(m -> m.substring(0, m.indexOf(':') < 0 ? m.length() : m.indexOf(':'))).distinct().toList(),
          String.valueOf(registry.manifestPutsSince(mark)));
      for (String hub : List.of("hub-a", "hub-c")) {
        assertTrue(logged(hub, "already exists (inputs unchanged): skipping build and push"), log(hub));
        DeploySummary skipped = summary(hub);
        assertEquals(DeploySummary.SKIPPED, skipped.action(), log(hub));
        assertEquals(DeploySummary.SKIPPED, skipped.smoke(), log(hub));
        assertTrue(logged(hub, "[INFO] staging (namespace " + hub + "-staging, release " + hub + ") already runs "
            + skipped.imageDigest() + " with chart minihub 0.3.0 and the same values (record " + skipped.record()
            + ", revision 1): nothing to deploy; -Ddatahub.deploy.force=true redeploys"), log(hub));
        assertTrue(logged(hub, "[INFO] Skipping the smoke test of staging: nothing was deployed in this build and "
            + "record " + skipped.record() + " already passed its smoke test for " + skipped.imageDigest()), log(hub));
        assertEquals(1, helmRevisions(fx, hub), hub + " was not upgraded");
      }
      DeploySummary changed = summary("hub-b");
      assertEquals(DeploySummary.DEPLOYED, changed.action());
      assertEquals(1, changed.reasons().size(), changed.reasons().toString());
      assertTrue(changed.reasons().get(0).startsWith("image sha256:"), changed.reasons().toString());
      assertEquals("passed", changed.smoke());
      assertEquals(2, changed.revision());
      assertEquals(2, helmRevisions(fx, "hub-b"));
      assertTrue(logged("hub-b", "Deploying to staging (namespace hub-b-staging, release hub-b) because: image sha256:"),
          log("hub-b"));
      assertFalse(logged("hub-b", "already exists (inputs unchanged)"), log("hub-b"));

      List<String> table = DeploySummary.table(HUBS.stream().map(this::summary).toList());
      table.forEach(System.out::println);
      assertTrue(table.get(0).startsWith("hub-a  staging  skipped   same image, chart and values as record "), table.get(0));
      assertTrue(table.get(1).startsWith("hub-b  staging  deployed  image sha256:"), table.get(1));
      assertEquals(List.of(), jupyterHub.userNames(), "no smoke-test user left on the hub");
      for (List<String> hubLines : lines.values()) {
        for (String line : hubLines) {
          assertFalse(line.contains(ReleaseFixture.SECRET_TOKEN), line);
          assertFalse(line.contains(jupyterHub.token()), line);
        }
      }
      assertNull(System.getProperty("sendCredentialsOverHttp"));
    }
  }

  /** One build of the reactor: every hub's goals in order, two hubs at a time (like -T 2). */
  private void reactor(Parent parent) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> builds = new ArrayList<>();
      for (String hub : HUBS) {
        builds.add(pool.submit(() -> {
          MavenProject project = parent.project(hub); // a new build: nothing in the project context yet
          parent.buildImage(project, log(hub, new BuildImageMojo())).execute();
          parent.release(project, log(hub, new DeployStagingMojo())).execute();
          String image = BuiltImage.readFrom(tmp.resolve(hub + "/target/datahub")).reference();
          SmokeTestMojo smoke = parent.release(project, log(hub, new SmokeTestMojo()));
          smoke.environment = "staging";
          smoke.smokeTest.userOptions = Map.of("image", image); // the local hub reports it like KubeSpawner
          smoke.execute();
          return null;
        }));
      }
      for (Future<?> build : builds) {
        build.get(3, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /** The configuration every hub inherits from the parent pom; only the artifactId differs. */
  final class Parent {
    final ReleaseFixture fx;
    final Path commonValues;
    final Path secretValues;

    Parent(ReleaseFixture fx) {
      this.fx = fx;
      this.commonValues = fx.file("common.yaml", "singleuser:\n  defaultUrl: /tree\n");
      this.secretValues = fx.file("staging-secret.yaml", "proxy:\n  secretToken: \"" + ReleaseFixture.SECRET_TOKEN
          + "\"\n");
    }

    MavenProject project(String hub) {
      MavenProject project = new MavenProject();
      project.setArtifactId(hub);
      project.setFile(tmp.resolve(hub + "/pom.xml").toFile());
      project.getBuild().setDirectory(tmp.resolve(hub + "/target").toString());
      return project;
    }

    BuildImageMojo buildImage(MavenProject project, BuildImageMojo mojo) {
      mojo.project = project;
      mojo.push = true;
      mojo.cacheDirectory = tmp.resolve("jib-cache").toString(); // ~/.cache/datahub/jib: one for all modules
      mojo.image.from = "scratch";
      mojo.image.to = registry.host() + "/hubs/" + project.getArtifactId();
      mojo.image.allowInsecureRegistries = List.of(registry.host());
      ImageConfig.ContentConfig notebooks = new ImageConfig.ContentConfig();
      notebooks.source = "notebooks";
      notebooks.target = "/home/jovyan/notebooks";
      mojo.image.content = List.of(notebooks);
      return mojo;
    }

    <T extends AbstractReleaseMojo> T release(MavenProject project, T mojo) {
      String hub = project.getArtifactId();
      mojo.project = project;
      mojo.chart = new ChartConfig();
      mojo.chart.directory = ReleaseFixture.CHART.toFile();
      mojo.values = List.of(commonValues.toFile());
      mojo.environments = new Environments();
      EnvironmentConfig staging = new EnvironmentConfig();
      staging.kubeContext = MockCluster.STAGING_CONTEXT;
      staging.kubeconfig = fx.cluster.kubeconfig().toFile();
      staging.namespace = hub + "-staging"; // one namespace per hub and environment, as hubploy deploys them
      staging.release = hub;
      staging.values = List.of(new File(project.getBasedir(), "staging.yaml"));
      staging.secretValues = List.of(secretValues.toFile());
      staging.timeout = "30s";
      staging.hubUrl = jupyterHub.url().toString();
      mojo.environments.staging = staging;
      mojo.commit = "0123abcd";
      mojo.keepRecords = 5;
      mojo.smokeTest = new SmokeTestConfiguration();
      mojo.smokeTest.user = "smoke-" + hub; // hubs are tested at the same time
      mojo.smokeTest.imports = List.of("json");
      mojo.smokeTest.spawnTimeout = "60";
      mojo.environmentVariables = name -> "DATAHUB_HUB_TOKEN".equals(name) ? jupyterHub.token() : null;
      return mojo;
    }
  }

  private <T extends AbstractMojo> T log(String hub, T mojo) {
    List<String> out = lines.computeIfAbsent(hub, h -> new CopyOnWriteArrayList<>());
    mojo.setLog(new CapturingMavenLog(out));
    return mojo;
  }

  private boolean logged(String hub, String fragment) {
    return lines.getOrDefault(hub, List.of()).stream().anyMatch(l -> l.contains(fragment));
  }

  private String log(String hub) {
    return hub + ":\n" + String.join("\n", lines.getOrDefault(hub, List.of()));
  }

  private DeploySummary summary(String hub) {
    return DeploySummary.readFrom(tmp.resolve(hub + "/target/datahub/release/" + DeploySummary.fileName("staging")));
  }

  private static int helmRevisions(ReleaseFixture fx, String hub) {
    return new HelmReleaseStore(fx.cluster.client(), hub + "-staging", hub).history().size();
  }
}
