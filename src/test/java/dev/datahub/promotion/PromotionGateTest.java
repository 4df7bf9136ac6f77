package dev.datahub.promotion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploymentRecord.SmokeOutcome;
import dev.datahub.release.DeploymentRecord.SmokeStatus;
import dev.datahub.release.ReleaseBundle;
import dev.datahub.release.StoredRelease;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The gate's judgement on its own, one refusal at a time. */
class PromotionGateTest {

  private static final String A = "sha256:" + "a".repeat(64);
  private static final String B = "sha256:" + "b".repeat(64);
  private static final String VALUES = "hmac-sha256:" + "1".repeat(64);

  private static ReleaseBundle bundle(String digest, String chartVersion, String chartDigest, String common) {
    return new ReleaseBundle("r/u:1@" + digest, digest, "minihub", chartVersion, chartDigest, common, "sha256:env",
        "sha256:img", "none", List.of(), "abc");
  }

  private static DeploymentRecord record(String digest, SmokeStatus smokeStatus, String smokeDigest) {
    return new DeploymentRecord("datahub-staging-x1", 1, "staging", DeploymentRecord.Kind.DEPLOY, "hub", 3,
        bundle(digest, "0.3.0", "sha256:c", "sha256:common"), VALUES, "t", DeploymentRecord.Result.SUCCEEDED, null,
        smokeStatus == null ? null : new SmokeOutcome(smokeStatus, smokeDigest, "http://staging", "s", "t"), null, null,
        "hmac-sha256:sig");
  }

  private static StoredRelease live(int revision, String status) {
    return new StoredRelease("hub", revision, status, "minihub", "0.3.0", "5", "", Map.of(), "",
        JsonNodeFactory.instance.objectNode());
  }

  private static ReleaseBundle candidate(String digest, String chartVersion) {
    return bundle(digest, chartVersion, "sha256:c", "sha256:common");
  }

  private static List<String> judge(DeploymentRecord record, StoredRelease live, String liveImage, ReleaseBundle c) {
    return judge(record, List.of(), live, liveImage, VALUES, c);
  }

  private static List<String> judge(DeploymentRecord record, List<String> whyNotPassed, StoredRelease live,
      String liveImage, String liveValues, ReleaseBundle c) {
    return PromotionGate.refusals(new PromotionGate.StagingEvidence(Optional.ofNullable(record), whyNotPassed,
        Optional.ofNullable(live), liveImage, liveValues), c);
  }

  @Test
  void passesWhenEverythingMatches() {
    assertEquals(List.of(), judge(record(A, SmokeStatus.PASSED, A), live(3, "deployed"), "r/u:1@" + A,
        candidate(A, "0.3.0")));
  }

  @Test
  void refusesEachMismatch() {
    DeploymentRecord passed = record(A, SmokeStatus.PASSED, A);
    assertTrue(judge(null, null, null, candidate(A, "0.3.0")).get(0).contains("no deployment record"));
    assertEquals(List.of("the record's reason"), judge(passed, List.of("the record's reason"), live(3, "deployed"),
        "r/u:1@" + A, VALUES, candidate(A, "0.3.0")), "the record's own verdict (signature, smoke) comes first");
    assertTrue(judge(passed, live(3, "deployed"), "r/u:1@" + A, candidate(B, "0.3.0")).get(0)
        .contains("is not what staging tested"));
    assertTrue(judge(passed, live(3, "deployed"), "r/u:1@" + A, candidate(A, "0.4.0")).get(0)
        .contains("chart minihub-0.4.0"));
    assertTrue(judge(passed, live(3, "deployed"), "r/u:1@" + A, bundle(A, "0.3.0", "sha256:other", "sha256:common"))
        .get(0).contains("has other content"));
    assertTrue(judge(passed, live(3, "deployed"), "r/u:1@" + A, bundle(A, "0.3.0", "sha256:c", "sha256:changed"))
        .get(0).contains("the common values changed since staging's test"));
    assertTrue(judge(passed, live(4, "deployed"), "r/u:1@" + A, candidate(A, "0.3.0")).get(0)
        .contains("drifted since the test: live release is revision 4"));
    assertTrue(judge(passed, live(3, "pending-upgrade"), "r/u:1@" + A, candidate(A, "0.3.0")).get(0)
        .contains("(pending-upgrade)"));
    assertTrue(judge(passed, live(3, "deployed"), "r/u:1@" + B, candidate(A, "0.3.0")).get(0)
        .contains("drifted since the test: it runs"));
    assertTrue(judge(passed, List.of(), live(3, "deployed"), "r/u:1@" + A, "hmac-sha256:other", candidate(A, "0.3.0"))
        .get(0).contains("values Helm stored for revision 3 are not the ones"));
  }

  @Test
  void prodsOwnValuesAndSecretsAreNotCompared() {
    ReleaseBundle prodsOwn = new ReleaseBundle("r/u:1@" + A, A, "minihub", "0.3.0", "sha256:c", "sha256:common",
        "sha256:prod-env", "sha256:img", "hmac-sha256:prod-secrets", List.of("proxy.secretToken"), "abc");
    assertEquals(List.of(), judge(record(A, SmokeStatus.PASSED, A), live(3, "deployed"), "r/u:1@" + A, prodsOwn));
  }
}
