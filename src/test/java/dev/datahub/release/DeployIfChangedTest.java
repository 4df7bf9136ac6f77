package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.fixtures.MockCluster;
import dev.datahub.fixtures.ReleaseFixture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy-staging's "only when the release inputs changed" against the mock cluster with the real Helm engine. */
class DeployIfChangedTest {

  @TempDir Path tmp;
  ReleaseFixture fx;

  @BeforeEach
  void start() {
    fx = new ReleaseFixture(tmp);
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  private EnvironmentSpec staging(String values, String secret) {
    Path v = fx.file("staging-values.yaml", values);
    Path s = fx.file("staging-secret.yaml", secret);
    return new EnvironmentSpec("staging", fx.cluster.kubeconfig(), MockCluster.STAGING_CONTEXT, "staging", "hub",
        List.of(v), List.of(s), null, Duration.ofSeconds(20), true, true, null);
  }

  private static final String VALUES = "singleuser:\n  defaultUrl: /tree\n";
  private static final String SECRET = "proxy:\n  secretToken: \"" + ReleaseFixture.SECRET_TOKEN + "\"\n";

  private HubRelease.DeployResult deploy(EnvironmentSpec env, char image, boolean force) {
    return fx.release(env).deployIfChanged(fx.request(ReleaseFixture.image(image)), force);
  }

  @Test
  void sameBundleIsSkippedWithOneLineAndEveryChangeIsNamed() {
    HubRelease.DeployResult first = deploy(staging(VALUES, SECRET), 'a', false);
    assertTrue(first.deployed());
    assertEquals(List.of("first deploy (no succeeded deployment record for this release)"), first.decision().changes());

    HubRelease.DeployResult same = deploy(staging(VALUES, SECRET), 'a', false);
    assertFalse(same.deployed());
    assertEquals(first.record().id(), same.record().id());
    String expected = "staging (namespace staging, release hub) already runs sha256:" + "a".repeat(64)
        + " with chart minihub 0.3.0 and the same values (record " + first.record().id()
        + ", revision 1): nothing to deploy; datahub.deploy.force=true redeploys";
    assertTrue(fx.log.lines().contains("INFO " + expected), fx.log.text());
    HubRelease probe = fx.release(staging(VALUES, SECRET));
    assertEquals(1, probe.store().history().size(), "Helm was not called");
    assertEquals(1, probe.records().all().size(), "no record written");
    assertTrue(fx.cluster.client().leases().inNamespace("staging").list().getItems().isEmpty());

    HubRelease.DeployResult forced = deploy(staging(VALUES, SECRET), 'a', true);
    assertTrue(forced.deployed());
    assertEquals(2, forced.record().revision());
    assertEquals("forced (datahub.deploy.force=true)", forced.decision().changes().get(0));

    HubRelease.DeployResult image = deploy(staging(VALUES, SECRET), 'b', false);
    assertEquals(List.of("image sha256:" + "a".repeat(64) + " -> sha256:" + "b".repeat(64)), image.decision().changes());
    assertTrue(fx.log.contains("Deploying to staging (namespace staging, release hub) because: image sha256:"),
        fx.log.text());

    HubRelease.DeployResult values = deploy(staging("singleuser:\n  defaultUrl: /lab\n", SECRET), 'b', false);
    assertEquals(1, values.decision().changes().size(), values.decision().changes().toString());
    assertTrue(values.decision().changes().get(0).startsWith("environment values ("), values.decision().changes().toString());

    String otherSecret = "proxy:\n  secretToken: \"an0ther-s3cret-token-99\"\n";
    HubRelease.DeployResult secret = deploy(staging("singleuser:\n  defaultUrl: /lab\n", otherSecret), 'b', false);
    assertEquals(List.of("secret values"), secret.decision().changes());
    assertFalse(deploy(staging("singleuser:\n  defaultUrl: /lab\n", otherSecret), 'b', false).deployed());

    assertFalse(fx.log.text().contains(ReleaseFixture.SECRET_TOKEN), fx.log.text());
    assertFalse(fx.log.text().contains("an0ther-s3cret-token-99"), fx.log.text());
  }

  @Test
  void driftFromTheRecordRedeploys() {
    EnvironmentSpec env = staging(VALUES, SECRET);
    HubRelease.DeployResult first = deploy(env, 'a', false);
    HubRelease staging = fx.release(env);

    // Someone re-applied the revision by hand: the live release is revision 2, the record says 1.
    staging.rollback(1, "abc123", false);
    fx.cluster.client().configMaps().inNamespace("staging").withName(staging.records().latest().orElseThrow().id())
        .delete(); // only the deploy record is left: what the plugin believes runs
    HubRelease.DeployResult drifted = deploy(env, 'a', false);
    assertTrue(drifted.deployed());
    assertEquals(List.of("drift: the live release is revision 2 (deployed), record " + first.record().id()
        + " is revision 1"), drifted.decision().changes());

    // The live revision failed (e.g. marked by a recovery): not what the record says runs.
    StoredRelease live = staging.store().latest().orElseThrow();
    staging.store().markFailed(live, "test");
    HubRelease.DeployResult failed = deploy(env, 'a', false);
    assertTrue(failed.decision().changes().get(0).contains("(failed)"), failed.decision().changes().toString());

    // The release was uninstalled.
    fx.cluster.client().secrets().inNamespace("staging").withLabel("owner", "helm").delete();
    HubRelease.DeployResult gone = deploy(env, 'a', false);
    assertTrue(gone.deployed());
    assertTrue(gone.decision().changes().get(0).startsWith("drift: the Helm release is not installed any more"),
        gone.decision().changes().toString());
  }

  @Test
  void changedChartContentRedeploys() throws IOException {
    Path chart = tmp.resolve("chart");
    try (Stream<Path> files = Files.walk(ReleaseFixture.CHART)) {
      for (Path f : files.toList()) {
        Path to = chart.resolve(ReleaseFixture.CHART.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(to);
        } else {
          Files.copy(f, to);
        }
      }
    }
    EnvironmentSpec env = staging(VALUES, SECRET);
    HubRelease.DeployRequest request = new HubRelease.DeployRequest(ChartSource.local(chart), List.of(),
        ReleaseFixture.image('a'), "abc123", DeploymentRecord.Kind.DEPLOY, null, null, false);
    assertTrue(fx.release(env).deployIfChanged(request, false).deployed());
    assertFalse(fx.release(env).deployIfChanged(request, false).deployed());
    Files.writeString(chart.resolve("templates/NOTES.txt"), "changed notes\n");
    HubRelease.DeployResult changed = fx.release(env).deployIfChanged(request, false);
    assertTrue(changed.deployed());
    assertTrue(changed.decision().changes().get(0).startsWith("chart content of minihub 0.3.0 ("),
        changed.decision().changes().toString());
  }
}
