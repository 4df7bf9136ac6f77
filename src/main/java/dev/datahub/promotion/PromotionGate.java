package dev.datahub.promotion;

import dev.datahub.Fix;
import dev.datahub.Wording;
import dev.datahub.Words;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.ReleaseBundle;
import dev.datahub.release.StoredRelease;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The prod gate. Prod may only get what staging verified: staging's latest record must be the plugin's own (signed),
 * must have passed its smoke test for its image, and must have tested the same image digest, chart content and common
 * values as the candidate; and Helm's own release storage must confirm it — staging's live revision is still that
 * record's revision, {@code deployed}, with the recorded image and values. Prod's own values and secrets are not
 * compared. Pure: the caller reads the record, the key and the live release, the gate only judges.
 */
public final class PromotionGate {

  private PromotionGate() {}

  /** What the gate reads from staging. */
  public record StagingEvidence(
      Optional<DeploymentRecord> record,
      List<String> whyNotPassed,
      Optional<StoredRelease> live,
      String liveImage,
      String liveValuesHmac) {}

  /** Every reason to refuse; empty means promote. */
  public static List<String> refusals(StagingEvidence staging, ReleaseBundle candidate) {
    return refusals(staging, candidate, Wording.NEUTRAL);
  }

  /** {@link #refusals(StagingEvidence, ReleaseBundle)}, naming the goal to run in {@code wording}'s words. */
  public static List<String> refusals(StagingEvidence staging, ReleaseBundle candidate, Wording wording) {
    List<String> refusals = new ArrayList<>();
    if (staging.record().isEmpty()) {
      refusals.add(Words.of("staging has no deployment record — run {} and the smoke test first",
          Fix.goal("deploy-staging")).in(wording));
      return refusals;
    }
    DeploymentRecord record = staging.record().get();
    refusals.addAll(staging.whyNotPassed());
    if (record.bundle() == null) {
      refusals.add("staging's record " + record.id() + " names no bundle — deploy and smoke-test staging again");
      return refusals;
    }
    refusals.addAll(candidate.untestedAgainst(record.bundle()));
    if (staging.live().isEmpty()) {
      refusals.add("staging has no Helm release any more — redeploy and test staging");
      return refusals;
    }
    StoredRelease live = staging.live().get();
    if (live.revision() != record.revision() || !live.deployed()) {
      refusals.add("staging drifted since the test: live release is revision " + live.revision() + " ("
          + live.status() + "), the tested record is revision " + record.revision());
    } else if (staging.liveImage() == null || !staging.liveImage().endsWith("@" + record.imageDigest())) {
      refusals.add("staging drifted since the test: it runs " + staging.liveImage() + ", the record says "
          + record.imageDigest());
    } else if (record.liveValuesHmac() == null || !record.liveValuesHmac().equals(staging.liveValuesHmac())) {
      refusals.add("staging drifted since the test: the values Helm stored for revision " + live.revision()
          + " are not the ones record " + record.id() + " deployed");
    }
    return refusals;
  }
}
