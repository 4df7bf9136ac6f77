package dev.datahub.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.ReleaseFixture;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubReleaseTest {

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

  @Test
  void firstInstallThenUpgradeInjectsImageAsStringTagWithDigestAndRecordsEach() {
    HubRelease staging = fx.release(fx.staging());

    DeploymentRecord first = staging.deploy(fx.request(ReleaseFixture.image('a')));
    assertEquals(DeploymentRecord.Result.SUCCEEDED, first.result());
    assertEquals(1, first.revision());
    assertEquals("sha256:" + "a".repeat(64), first.imageDigest());
    assertEquals("minihub", first.chartName());
    assertEquals("0.3.0", first.chartVersion());
    assertEquals("abc123", first.sourceCommit());

    ConfigMap hub = fx.cluster.client().configMaps().inNamespace("staging").withName("hub").get();
    assertEquals("registry.example.org/datahub/user:1@sha256:" + "a".repeat(64), hub.getData().get("singleuser.image"));
    StoredRelease stored = staging.store().revision(1).orElseThrow();
    Object tag = Values.at(stored.config(), "singleuser.image.tag");
    assertTrue(tag instanceof String, "tag is stored as a string: " + tag);
    assertEquals("1@sha256:" + "a".repeat(64), tag);

    DeploymentRecord second = staging.deploy(fx.request(ReleaseFixture.image('b')));
    assertEquals(2, second.revision());
    assertEquals(DeploymentRecord.Result.SUCCEEDED, second.result());
    assertEquals(2, staging.records().all().size());
    assertEquals(second.id(), staging.records().latest().orElseThrow().id());
    assertEquals("superseded", staging.store().revision(1).orElseThrow().status());
    assertFalse(fx.log.text().contains(ReleaseFixture.SECRET_TOKEN), fx.log.text());
  }

  @Test
  void heldLockFailsAtOnceNamingHolderAndAge() {
    HubRelease staging = fx.release(fx.staging());
    fx.cluster.client().leases().inNamespace("staging").resource(new io.fabric8.kubernetes.api.model.coordination.v1
        .LeaseBuilder().withNewMetadata().withName(DeployLock.NAME).endMetadata().withNewSpec()
        .withHolderIdentity("ci-runner-7 deploy staging").withAcquireTime(java.time.ZonedDateTime.now().minusMinutes(3))
        .withLeaseDurationSeconds(900).endSpec().build()).create();
    long start = System.nanoTime();
    DataHubException e = assertThrows(DataHubException.class, () -> staging.deploy(fx.request(ReleaseFixture.image('a'))));
    assertTrue(e.getMessage().contains("held by 'ci-runner-7 deploy staging'"), e.getMessage());
    assertTrue(e.getMessage().contains("(180s ago)") || e.getMessage().contains("(3m ago)"), e.getMessage());
    assertTrue(System.nanoTime() - start < 5_000_000_000L, "fails at once");
    assertTrue(staging.store().history().isEmpty(), "nothing was deployed");
  }

  @Test
  void imagePullBackOffFailsFastRollsBackAndRecords() {
    HubRelease staging = fx.release(fx.staging());
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    fx.cluster.failPods("hub", "ImagePullBackOff");

    long start = System.nanoTime();
    DataHubException e = assertThrows(DataHubException.class, () -> staging.deploy(fx.request(ReleaseFixture.image('b'))));
    long seconds = (System.nanoTime() - start) / 1_000_000_000L;
    assertTrue(e.getMessage().contains("ImagePullBackOff"), e.getMessage());
    assertTrue(e.getMessage().contains("rolled back to revision 1"), e.getMessage());
    assertTrue(seconds < 15, "failed fast, not after the 20 s timeout: " + seconds + " s");

    DeploymentRecord failed = staging.records().latest().orElseThrow();
    assertEquals(DeploymentRecord.Result.ROLLED_BACK, failed.result());
    assertEquals("sha256:" + "b".repeat(64), failed.imageDigest());
    StoredRelease live = staging.store().latest().orElseThrow();
    assertEquals(3, live.revision());
    assertEquals("deployed", live.status());
    assertEquals("registry.example.org/datahub/user:1@sha256:" + "a".repeat(64), staging.imageOf(live));
    assertFalse(fx.log.text().contains(ReleaseFixture.SECRET_TOKEN));
  }

  @Test
  void stuckReleaseIsExplainedThenRecovered() {
    HubRelease staging = fx.release(fx.staging());
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    // An interrupted upgrade: Helm wrote revision 2 as pending-upgrade and never finished.
    markPending(2);

    DataHubException e = assertThrows(DataHubException.class, () -> staging.deploy(fx.request(ReleaseFixture.image('b'))));
    assertTrue(e.getMessage().contains("stuck in pending-upgrade at revision 2"), e.getMessage());
    assertTrue(e.getMessage().contains("rerun with datahub.recover=true"), e.getMessage());

    HubRelease.DeployRequest recover = new HubRelease.DeployRequest(ChartSource.local(ReleaseFixture.CHART),
        java.util.List.of(), ReleaseFixture.image('b'), "abc123", DeploymentRecord.Kind.DEPLOY, null, null, true);
    DeploymentRecord record = staging.deploy(recover);
    assertEquals(DeploymentRecord.Result.SUCCEEDED, record.result());
    assertEquals("failed", staging.store().revision(2).orElseThrow().status());
    assertEquals(4, record.revision(), "3 re-applied revision 1, 4 is the new deploy");
    assertEquals(DeploymentRecord.Kind.RECOVER, staging.records().all().get(1).kind());
  }

  @Test
  void rollbackReturnsToPreviousOrNamedRevisionAndRecordsIt() {
    HubRelease staging = fx.release(fx.staging());
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    staging.deploy(fx.request(ReleaseFixture.image('b')));
    staging.deploy(fx.request(ReleaseFixture.image('c')));

    DeploymentRecord back = staging.rollback(null, "abc123", false);
    assertEquals(4, back.revision());
    assertEquals(DeploymentRecord.Kind.ROLLBACK, back.kind());
    assertEquals("sha256:" + "b".repeat(64), back.imageDigest());
    assertEquals("registry.example.org/datahub/user:1@sha256:" + "b".repeat(64),
        fx.cluster.client().configMaps().inNamespace("staging").withName("hub").get().getData().get("singleuser.image"));
    StoredRelease live = staging.store().latest().orElseThrow();
    assertEquals("minihub", live.chartName());
    assertEquals("0.3.0", live.chartVersion());

    DeploymentRecord toFirst = staging.rollback(1, "abc123", false);
    assertEquals("sha256:" + "a".repeat(64), toFirst.imageDigest());
    DataHubException e = assertThrows(DataHubException.class, () -> staging.rollback(42, "abc123", false));
    assertTrue(e.getMessage().contains("no revision 42"), e.getMessage());
  }

  @Test
  void kubeconfigWithoutTheEnvironmentsContextIsRefused() {
    EnvironmentSpec wrong = new EnvironmentSpec("prod", fx.cluster.kubeconfig(), "prod-cluster-admin", "prod", "hub",
        null, null, null, null, true, true, null);
    DataHubException e = assertThrows(DataHubException.class, () -> KubeTarget.open(wrong));
    assertTrue(e.getMessage().contains("has no context 'prod-cluster-admin'"), e.getMessage());
    assertTrue(e.getMessage().contains("staging-ctx"), e.getMessage());
  }

  @Test
  void imageWithoutDigestIsRefused() {
    DataHubException e = assertThrows(DataHubException.class, () -> ImageRef.parse("registry.example.org/user:1"));
    assertTrue(e.getMessage().contains("has no digest"), e.getMessage());
    assertEquals("pinned@sha256:" + "d".repeat(64),
        ImageRef.parse("r.example.org/u@sha256:" + "d".repeat(64)).tagValue());
  }

  private void markPending(int revision) {
    HelmReleaseStore store = new HelmReleaseStore(fx.cluster.client(), "staging", "hub");
    StoredRelease last = store.latest().orElseThrow();
    com.fasterxml.jackson.databind.node.ObjectNode raw = last.raw().deepCopy();
    raw.put("version", revision);
    raw.with("info").put("status", "pending-upgrade");
    fx.cluster.client().secrets().inNamespace("staging").resource(new io.fabric8.kubernetes.api.model.SecretBuilder()
        .withNewMetadata().withName(store.secretName(revision)).addToLabels("owner", "helm").addToLabels("name", "hub")
        .addToLabels("status", "pending-upgrade").addToLabels("version", String.valueOf(revision)).endMetadata()
        .withType("helm.sh/release.v1").addToData("release", java.util.Base64.getEncoder().encodeToString(
            HelmReleaseStore.encodeHelm(raw).getBytes(java.nio.charset.StandardCharsets.UTF_8))).build()).create();
  }
}
