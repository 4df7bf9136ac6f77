package dev.datahub.promotion;

import dev.datahub.DataHubException;
import dev.datahub.log.StepLog;
import dev.datahub.release.ChartSource;
import dev.datahub.release.HubRelease;
import dev.datahub.release.ImageRef;
import dev.datahub.release.ReleaseBundle;
import dev.datahub.release.StoredRelease;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * staging → prod: asks the {@link PromotionGate}, deploys staging's verified image digest to prod with prod's own
 * values (same lock, rollout watch and record), then runs the smoke test on prod when a runner and a hub URL are
 * configured. A forced promotion needs a reason; both are recorded in the prod record.
 */
public final class Promotion {

  private final HubRelease staging;
  private final HubRelease prod;
  private final SmokeRunner smoke;
  private final StepLog log;

  /** @param smoke may be null: prod is then not smoke-tested */
  public Promotion(HubRelease staging, HubRelease prod, SmokeRunner smoke, StepLog log) {
    this.staging = staging;
    this.prod = prod;
    this.smoke = smoke;
    this.log = log;
  }

  public DeploymentRecord promote(ChartSource chart, List<Path> commonValues, String sourceCommit, boolean force,
      String forceReason, boolean recover) {
    Optional<DeploymentRecord> record = staging.records().latest();
    Optional<StoredRelease> live = staging.store().latest();
    ImageRef image = record.map(r -> ImageRef.parse(r.image())).orElse(null);
    if (image == null) {
      throw new DataHubException("staging has no deployment record — run datahub:deploy-staging and the smoke test "
          + "first; there is no tested image to promote");
    }
    HubRelease.DeployRequest request = new HubRelease.DeployRequest(chart, commonValues, image, sourceCommit, "promote",
        record.get().id(), force, force ? forceReason : null, recover);
    ReleaseBundle candidate = prod.bundle(request, prod.compose(request));
    List<String> refusals = PromotionGate.refusals(record, live, live.map(staging::imageOf).orElse(null), candidate);
    if (!refusals.isEmpty()) {
      if (!force) {
        throw new DataHubException("promotion to prod refused: " + String.join("; ", refusals)
            + " — fix staging, or bypass with -Ddatahub.promote.force=true -Ddatahub.promote.reason=\"…\"");
      }
      if (forceReason == null || forceReason.isBlank()) {
        throw new DataHubException("forced promotion needs a reason — add -Ddatahub.promote.reason=\"why\"; it is "
            + "recorded in prod's deployment record");
      }
      log.warn("FORCED promotion (" + forceReason + ") despite: " + String.join("; ", refusals));
    } else {
      log.info("Gate passed: staging record " + record.get().id() + " tested " + image.digest() + " with "
          + candidate.chartName() + "-" + candidate.chartVersion());
    }
    // Promoting an unchanged hub again (e.g. `mvn datahub:promote` over a whole reactor) must not redeploy prod.
    HubRelease.DeployResult result = prod.deployIfChanged(request, force);
    DeploymentRecord deployed = result.record();
    String hubUrl = prod.environment().hubUrl();
    if (!result.deployed() && deployed.smoke() != null && deployed.smoke().passed()
        && image.digest().equals(deployed.smoke().imageDigest())) {
      log.info("prod already runs " + image.digest() + " and passed its smoke test (record " + deployed.id()
          + "): nothing to promote");
      return deployed;
    }
    if (smoke != null && hubUrl != null && !hubUrl.isBlank()) {
      log.info("Smoke-testing prod at " + hubUrl);
      boolean passed = smoke.run("prod", hubUrl, image.reference());
      deployed = prod.records().recordSmokeResult(passed, image.digest(), passed ? "passed" : "failed on prod");
      if (!passed) {
        throw new DataHubException("prod was deployed (revision " + deployed.revision() + ") but its smoke test "
            + "failed — inspect prod now; datahub:rollback -Ddatahub.environment=prod returns it to the previous revision");
      }
    }
    return deployed;
  }

  /**
   * For the smoke-test goal: records the verdict in the environment's latest record and, when asked, rolls the
   * environment back to its previous good revision on failure.
   */
  public static DeploymentRecord recordSmoke(HubRelease environment, boolean passed, String imageDigest, String summary,
      boolean rollbackOnFailure, String sourceCommit, StepLog log) {
    DeploymentRecord record = environment.records().recordSmokeResult(passed, imageDigest, summary);
    if (!passed && rollbackOnFailure) {
      log.warn("Smoke test failed on " + environment.environment().name() + "; rolling back to the previous revision");
      return environment.rollback(null, sourceCommit, false);
    }
    return record;
  }
}
