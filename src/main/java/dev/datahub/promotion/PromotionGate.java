package dev.datahub.promotion;

import dev.datahub.release.ReleaseBundle;
import dev.datahub.release.StoredRelease;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The prod gate. Prod may only get what staging verified: staging's latest record must have passed its smoke test for
 * the same image digest and chart, and staging's live release must still be that record's revision (no drift since the
 * test). Pure: the caller reads the record and the live release, the gate only judges.
 */
public final class PromotionGate {

  private PromotionGate() {}

  /** Every reason to refuse; empty means promote. */
  public static List<String> refusals(Optional<DeploymentRecord> stagingRecord, Optional<StoredRelease> stagingLive,
      String stagingLiveImage, ReleaseBundle candidate) {
    List<String> refusals = new ArrayList<>();
    if (stagingRecord.isEmpty()) {
      refusals.add("staging has no deployment record — run datahub:deploy-staging and the smoke test first");
      return refusals;
    }
    DeploymentRecord record = stagingRecord.get();
    if (!DeploymentRecord.SUCCEEDED.equals(record.result())) {
      refusals.add("staging's latest deploy (" + record.id() + ") " + record.result() + ": " + record.failure());
    }
    if (record.smoke() == null) {
      refusals.add("staging's latest deploy (" + record.id() + ") has no smoke test result — run datahub:smoke-test");
    } else if (!record.smoke().passed()) {
      refusals.add("staging's smoke test " + record.smoke().status() + ": " + record.smoke().summary());
    } else if (!Objects.equals(record.smoke().imageDigest(), record.imageDigest())) {
      refusals.add("staging's smoke test saw image " + record.smoke().imageDigest() + ", not the deployed "
          + record.imageDigest());
    }
    if (!Objects.equals(record.imageDigest(), candidate.imageDigest())) {
      refusals.add("image " + candidate.imageDigest() + " is not what staging tested (" + record.imageDigest() + ")");
    }
    if (!Objects.equals(record.chartName(), candidate.chartName())
        || !Objects.equals(record.chartVersion(), candidate.chartVersion())
        || !Objects.equals(record.chartDigest(), candidate.chartDigest())) {
      refusals.add("chart " + candidate.chartName() + "-" + candidate.chartVersion() + " (" + candidate.chartDigest()
          + ") is not what staging tested (" + record.chartName() + "-" + record.chartVersion() + ", "
          + record.chartDigest() + ")");
    }
    if (stagingLive.isEmpty()) {
      refusals.add("staging has no Helm release any more — redeploy and test staging");
    } else {
      StoredRelease live = stagingLive.get();
      if (live.revision() != record.revision() || !live.deployed()) {
        refusals.add("staging drifted since the test: live release is revision " + live.revision() + " ("
            + live.status() + "), the tested record is revision " + record.revision());
      } else if (stagingLiveImage == null || !stagingLiveImage.endsWith(record.imageDigest())) {
        refusals.add("staging drifted since the test: it runs " + stagingLiveImage + ", the record says "
            + record.imageDigest());
      }
    }
    return refusals;
  }
}
