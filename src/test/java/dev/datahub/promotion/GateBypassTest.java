package dev.datahub.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.datahub.DataHubException;
import dev.datahub.fixtures.ReleaseFixture;
import dev.datahub.image.Digest;
import dev.datahub.release.ChartSource;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploymentRecords;
import dev.datahub.release.EnvironmentSpec;
import dev.datahub.release.HubRelease;
import dev.datahub.release.RecordKey;
import dev.datahub.release.SmokeVerdict;
import dev.datahub.release.Values;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each test performs one way around the prod gate that worked before (issue 9, "Why") and shows that it is closed now;
 * plus the paths that must keep working: a signed verdict opens the gate, a failing prod test rolls prod back, a forced
 * promotion records who, when, why and what. Every test ends by searching the log and every file the goals wrote for
 * the secrets it used.
 */
class GateBypassTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);

  @TempDir Path tmp;
  ReleaseFixture fx;
  HubRelease staging;
  HubRelease prod;
  final List<String> smokeCalls = new ArrayList<>();
  boolean prodSmokePasses = true;
  final SmokeRunner smoke = (env, url, image) -> {
    smokeCalls.add(env + " " + url + " " + image);
    return new SmokeVerdict(prodSmokePasses, Digest.in(image), url,
        prodSmokePasses ? "passed" : "import failed: token=" + ReleaseFixture.SECRET_TOKEN);
  };

  @BeforeEach
  void start() {
    fx = new ReleaseFixture(tmp);
    staging = fx.release(fx.staging());
    prod = fx.release(fx.prod());
  }

  @AfterEach
  void stop() throws Exception {
    try {
      assertNoSecretLeft();
    } finally {
      fx.close();
    }
  }

  private HubRelease.DeployRequest request(List<Path> common, char image) {
    return new HubRelease.DeployRequest(ChartSource.local(ReleaseFixture.CHART), common, ReleaseFixture.image(image),
        "abc123", DeploymentRecord.Kind.DEPLOY, null, null, false);
  }

  private Promotion promotion() {
    return new Promotion(staging, prod, smoke, fx.redactor.wrap(fx.log));
  }

  private DeploymentRecord promote(List<Path> common) {
    return promotion().promote(ChartSource.local(ReleaseFixture.CHART), common, "def456", false, null, false);
  }

  private String refusal(List<Path> common) {
    return assertThrows(DataHubException.class, () -> promote(common)).getMessage();
  }

  private void testedOnStaging(char image) {
    staging.deploy(fx.request(ReleaseFixture.image(image)));
    fx.smoke(staging, true, "sha256:" + String.valueOf(image).repeat(64), "5 checks passed");
  }

  /** Why 1: common values edited after staging's smoke test went to prod untested. */
  @Test
  void commonValuesChangedAfterStagingsTestAreNotPromoted() throws Exception {
    Path common = fx.file("common.yaml", "hub:\n  config:\n    greeting: tested\n");
    staging.deploy(request(List.of(common), 'a'));
    fx.smoke(staging, true, A, "passed");
    Files.writeString(common, "hub:\n  config:\n    greeting: never-tested\n");

    String message = refusal(List.of(common));
    assertTrue(message.contains("the common values changed since staging's test"), message);
    assertTrue(prod.store().history().isEmpty(), "prod got nothing");

    Files.writeString(common, "hub:\n  config:\n    greeting: tested\n");
    assertEquals(A, promote(List.of(common)).imageDigest(), "the tested common values pass");
  }

  /** Why 9: editing the record ConfigMap (smoke failed -> passed) opened the gate. */
  @Test
  void aForgedVerdictDoesNotOpenTheGate() {
    staging.deploy(fx.request(ReleaseFixture.image('a')));
    fx.smoke(staging, false, A, "kernel died");
    DeploymentRecord record = staging.records().latest().orElseThrow();
    ConfigMap cm = fx.cluster.client().configMaps().inNamespace("staging").withName(record.id()).get();
    String json = cm.getData().get(DeploymentRecords.DATA_KEY);
    assertTrue(json.contains("\"failed\""), json);
    cm.getData().put(DeploymentRecords.DATA_KEY, json.replace("\"failed\"", "\"passed\""));
    fx.cluster.client().configMaps().inNamespace("staging").resource(cm).update();
    assertTrue(staging.records().latest().orElseThrow().smoke().passed(), "the forged record says passed");

    String message = refusal(List.of());
    assertTrue(message.contains("its signature does not verify"), message);
    assertTrue(prod.store().history().isEmpty(), "prod got nothing");
  }

  /** The signed-verdict path: a verdict the plugin wrote verifies with the namespace key and opens the gate. */
  @Test
  void aSignedVerdictOpensTheGateAndTheKeyIsNeverShown() {
    testedOnStaging('a');
    DeploymentRecord tested = staging.records().latest().orElseThrow();
    assertTrue(tested.signature().startsWith("hmac-sha256:"), tested.signature());
    assertTrue(staging.records().verified(tested));
    assertEquals(List.of(), staging.records().whyNotPassed(tested));

    DeploymentRecord onProd = promote(List.of());
    assertEquals(tested.id(), onProd.promotedFrom());
    assertTrue(prod.records().verified(onProd));
    assertEquals("true", fx.cluster.client().configMaps().inNamespace("staging").withName(tested.id()).get()
        .getMetadata().getLabels().get(DeploymentRecords.PROMOTED), "staging's record is marked as pointed at");
  }

  /** Why 10 (last part): the secret values' fingerprint was a bare SHA-256, an offline guessing oracle. */
  @Test
  void secretValuesAreFingerprintedWithTheNamespaceKeyNotABareHash() {
    testedOnStaging('a');
    promote(List.of());
    DeploymentRecord s = staging.records().latest().orElseThrow();
    DeploymentRecord p = prod.records().latest().orElseThrow();
    String bare = Values.hash(Values.read(fx.staging().secretValuesFiles().get(0)));
    assertTrue(s.bundle().secretValuesHmac().startsWith("hmac-sha256:"), s.bundle().secretValuesHmac());
    assertNotEquals(bare, s.bundle().secretValuesHmac());
    assertFalse(recordsText("staging").contains(bare.substring(7)), "no bare hash of the secrets in a record");
    assertNotEquals(s.bundle().secretValuesHmac(), p.bundle().secretValuesHmac(),
        "same secret values, other namespace key: fingerprints cannot be compared across namespaces either");
    assertEquals(List.of("proxy.secretToken"), s.bundle().secretPaths(), "the paths are kept, never the values");
  }

  /** Why 5: a failed prod smoke test left prod on the failing release, recorded as succeeded. */
  @Test
  void aFailingProdSmokeTestIsRecordedFailedAndProdReturnsToItsPreviousGoodRelease() {
    testedOnStaging('a');
    promote(List.of());
    testedOnStaging('b');
    prodSmokePasses = false;

    String message = refusal(List.of());
    assertTrue(message.contains("prod's smoke test at http://prod.hub.example.org failed"), message);
    assertTrue(message.contains("returned to its previous good release"), message);
    assertFalse(message.contains(ReleaseFixture.SECRET_TOKEN), "the failure names no secret: " + message);
    List<DeploymentRecord> records = prod.records().all();
    DeploymentRecord failed = records.get(1);
    assertEquals(B, failed.imageDigest());
    assertEquals(DeploymentRecord.Result.FAILED, failed.result(), "not 'succeeded' any more");
    assertEquals(DeploymentRecord.SmokeStatus.FAILED, failed.smoke().status());
    assertTrue(prod.records().verified(failed), "the failed verdict is signed too");
    DeploymentRecord back = records.get(0);
    assertEquals(DeploymentRecord.Kind.ROLLBACK, back.kind());
    assertEquals(A, back.imageDigest());
    assertTrue(prod.imageOf(prod.store().lastDeployed().orElseThrow()).endsWith(A), "prod runs the good image again");
  }

  /** The documented switch: -Ddatahub.promote.rollbackOnFailure=false keeps the failing release for inspection. */
  @Test
  void withoutRollbackOnFailureProdStaysButTheFailureIsRecorded() {
    testedOnStaging('a');
    promote(List.of());
    testedOnStaging('b');
    prodSmokePasses = false;
    String message = assertThrows(DataHubException.class, () -> promotion().rollbackOnFailure(false)
        .promote(ChartSource.local(ReleaseFixture.CHART), List.of(), "def456", false, null, false)).getMessage();
    assertTrue(message.contains("rollbackOnFailure=false"), message);
    DeploymentRecord latest = prod.records().latest().orElseThrow();
    assertEquals(B, latest.imageDigest());
    assertEquals(DeploymentRecord.Result.FAILED, latest.result());
    assertTrue(prod.imageOf(prod.store().lastDeployed().orElseThrow()).endsWith(B));
  }

  /** Why 6: force could not run when staging is down: promote read staging and threw first. */
  @Test
  void forceWorksWhenStagingIsDownAndRecordsWhoWhenWhyAndWhat() throws Exception {
    Path dead = fx.file("dead-kubeconfig.yaml", "apiVersion: v1\nkind: Config\nclusters:\n- name: \"gone\"\n"
        + "  cluster:\n    server: \"http://127.0.0.1:9\"\nusers:\n- name: \"u\"\n  user:\n    token: \"t\"\n"
        + "contexts:\n- name: \"staging-ctx\"\n  context:\n    cluster: \"gone\"\n    user: \"u\"\n"
        + "current-context: \"staging-ctx\"\n");
    EnvironmentSpec s = fx.staging();
    HubRelease down = fx.release(new EnvironmentSpec("staging", dead, s.kubeContext(), s.namespace(), s.release(),
        s.valuesFiles(), s.secretValuesFiles(), null, s.timeout(), true, true, s.hubUrl()));
    Promotion promotion = new Promotion(down, prod, smoke, fx.redactor.wrap(fx.log));
    Promotion.Request unforced = new Promotion.Request(ChartSource.local(ReleaseFixture.CHART), List.of(), "def456",
        false, null, false, ReleaseFixture.image('a'));
    String refused = assertThrows(DataHubException.class, () -> promotion.promote(unforced)).getMessage();
    assertTrue(refused.contains("cannot read staging to check the gate"), refused);

    DeploymentRecord forced = promotion.promote(new Promotion.Request(ChartSource.local(ReleaseFixture.CHART),
        List.of(), "def456", true, "INC-42 hotfix, staging cluster down", false, ReleaseFixture.image('a')));
    assertEquals(A, forced.imageDigest(), "what: the build's image");
    assertEquals("INC-42 hotfix, staging cluster down", forced.forced().reason(), "why");
    assertEquals(HubRelease.operator(), forced.forced().by(), "who");
    assertTrue(forced.forced().time().startsWith("20"), "when: " + forced.forced().time());
    assertTrue(forced.forced().overrode().get(0).startsWith("staging could not be read"), forced.toString());
    assertNull(forced.promotedFrom());
    assertTrue(prod.records().verified(forced));
    assertTrue(fx.log.text().contains("FORCED promotion (INC-42 hotfix"), fx.log.text());
  }

  /** Why 6, the other half: staging up but without any record. */
  @Test
  void forceWorksWhenStagingHasNoRecordAndNeedsAReason() {
    Promotion.Request noReason = new Promotion.Request(ChartSource.local(ReleaseFixture.CHART), List.of(), "def456",
        true, " ", false, ReleaseFixture.image('b'));
    assertTrue(assertThrows(DataHubException.class, () -> promotion().promote(noReason)).getMessage()
        .contains("needs a reason"));
    DeploymentRecord forced = promotion().promote(new Promotion.Request(ChartSource.local(ReleaseFixture.CHART),
        List.of(), "def456", true, "first prod install", false, ReleaseFixture.image('b')));
    assertEquals(B, forced.imageDigest());
    assertTrue(forced.forced().overrode().get(0).contains("staging has no deployment record"), forced.toString());
  }

  /** Why 8: pruning deleted the staging record prod's record points at. */
  @Test
  void pruningKeepsTheStagingRecordProdPointsAt() {
    HubRelease keepTwo = fx.release(fx.staging(), Clock.systemUTC(), 2);
    staging = keepTwo;
    testedOnStaging('a');
    String promotedFrom = promote(List.of()).promotedFrom();
    for (char c : new char[] {'b', 'c', 'd'}) {
      keepTwo.deploy(fx.request(ReleaseFixture.image(c)));
    }
    assertTrue(keepTwo.records().all().stream().anyMatch(r -> r.id().equals(promotedFrom)),
        "prod's record points at " + promotedFrom + ", which is still there");
    assertEquals(3, keepTwo.records().all().size(), "the newest two, and the promoted one");
  }

  /** Why 8: N failed deploys deleted the last succeeded record. */
  @Test
  void pruningKeepsTheNewestSucceededAndSmokePassedRecord() {
    HubRelease keepTwo = fx.release(fx.staging(), Clock.systemUTC(), 2);
    keepTwo.deploy(fx.request(ReleaseFixture.image('a')));
    fx.smoke(keepTwo, true, A, "passed");
    String good = keepTwo.records().latest().orElseThrow().id();
    fx.cluster.failPods("hub", "ImagePullBackOff");
    for (char c : new char[] {'b', 'c', 'd'}) {
      assertThrows(DataHubException.class, () -> keepTwo.deploy(fx.request(ReleaseFixture.image(c))));
    }
    fx.cluster.healPods();
    List<DeploymentRecord> all = keepTwo.records().all();
    assertEquals(good, keepTwo.records().latestSucceeded().orElseThrow().id(), all.toString());
    assertEquals(3, all.size(), "two newest failures and the last succeeded, smoke-passed record");
  }

  /** Why 8: record ids came from the writer's clock: a host an hour behind had its new record pruned at once. */
  @Test
  void aClockAnHourBehindDoesNotReorderOrPruneRecords() {
    HubRelease onTime = fx.release(fx.staging(), Clock.systemUTC(), 1);
    onTime.deploy(fx.request(ReleaseFixture.image('a')));
    HubRelease behind = fx.release(fx.staging(), Clock.offset(Clock.systemUTC(), Duration.ofHours(-1)), 1);
    DeploymentRecord newest = behind.deploy(fx.request(ReleaseFixture.image('b')));
    assertEquals(newest.id(), onTime.records().latest().orElseThrow().id(), "the newest record is the newest");
    assertEquals(B, onTime.records().latestSucceeded().orElseThrow().imageDigest());
    assertTrue(newest.id().startsWith("datahub-staging-"), "named by the API server: " + newest.id());
    assertEquals(1, onTime.records().all().size(), "keep 1: the older record went, not the new one");
  }

  private String recordsText(String namespace) {
    return fx.cluster.client().configMaps().inNamespace(namespace).list().getItems().stream()
        .map(cm -> String.valueOf(cm.getData())).reduce("", String::concat);
  }

  private void assertNoSecretLeft() throws Exception {
    List<String> secrets = new ArrayList<>(List.of(ReleaseFixture.SECRET_TOKEN));
    for (String ns : List.of("staging", "prod")) {
      var key = fx.cluster.client().secrets().inNamespace(ns).withName(RecordKey.SECRET).get();
      if (key != null) {
        String encoded = key.getData().values().iterator().next();
        secrets.add(encoded);
        secrets.add(java.util.HexFormat.of().formatHex(Base64.getDecoder().decode(encoded)));
      }
    }
    for (String secret : secrets) {
      assertFalse(fx.log.text().contains(secret), "a secret in the log");
      assertFalse(recordsText("staging").contains(secret) || recordsText("prod").contains(secret),
          "a secret in a record");
      Path work = tmp.resolve("work");
      if (Files.isDirectory(work)) {
        try (Stream<Path> files = Files.walk(work)) {
          for (Path f : files.filter(Files::isRegularFile).toList()) {
            assertFalse(Files.readString(f).contains(secret), "a secret in " + f);
          }
        }
      }
    }
  }
}
