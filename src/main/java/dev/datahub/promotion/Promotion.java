package dev.datahub.promotion;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.Words;
import dev.datahub.log.StepLog;
import dev.datahub.release.BundleDiff;
import dev.datahub.release.ChartSource;
import dev.datahub.release.ComposedValues;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.DeploymentRecord.Kind;
import dev.datahub.release.DeploymentRecords;
import dev.datahub.release.HubRelease;
import dev.datahub.release.ImageRef;
import dev.datahub.release.ReleaseBundle;
import dev.datahub.release.SmokeVerdict;
import dev.datahub.release.StoredRelease;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * staging → prod: asks the {@link PromotionGate}, deploys staging's verified image digest to prod with prod's own
 * values (same lock, rollout watch and record), then smoke-tests prod at prod's own {@code hubUrl}. A failing prod
 * smoke test is recorded as failed and, unless told otherwise, prod returns to its previous good revision.
 *
 * <p>A forced promotion needs a reason and works when staging is down or has no record (the image then comes from the
 * build: {@code -Ddatahub.image} or image.json); prod's record says who forced it, when, why, and what the gate said.
 */
public final class Promotion {

  private static final Fix.Property FORCE = Fix.property("datahub.promote.force", "true");
  private static final Fix.Property FORCE_REASON = Fix.property("datahub.promote.reason", "\"…\"");

  private final HubRelease staging;
  private final HubRelease prod;
  private final SmokeRunner smoke;
  private final StepLog log;
  private boolean rollbackOnFailure = true;

  /** @param smoke may be null: prod is then not smoke-tested */
  public Promotion(HubRelease staging, HubRelease prod, SmokeRunner smoke, StepLog log) {
    this.staging = staging;
    this.prod = prod;
    this.smoke = smoke;
    this.log = log;
  }

  /** Whether a failing prod smoke test returns prod to its previous good revision (default true). */
  public Promotion rollbackOnFailure(boolean rollback) {
    this.rollbackOnFailure = rollback;
    return this;
  }

  /** What the operator asked for. */
  public record Request(ChartSource chart, List<Path> commonValues, String sourceCommit, boolean force,
      String forceReason, boolean recover, ImageRef buildImage) {}

  public DeploymentRecord promote(ChartSource chart, List<Path> commonValues, String sourceCommit, boolean force,
      String forceReason, boolean recover) {
    return promote(new Request(chart, commonValues, sourceCommit, force, forceReason, recover, null));
  }

  public DeploymentRecord promote(Request ask) {
    if (ask.force() && (ask.forceReason() == null || ask.forceReason().isBlank())) {
      throw new DataHubException("forced promotion needs a reason — add {}; it is recorded in prod's deployment record "
          + "with who forced it and when", Fix.property("datahub.promote.reason", "\"why\""));
    }
    PromotionGate.StagingEvidence evidence;
    String unreadable = null;
    try {
      evidence = readStaging();
    } catch (DataHubException | KubernetesClientException e) {
      if (!ask.force()) {
        throw new DataHubException("cannot read staging to check the gate: " + oneLine(e.getMessage()) + " — fix access "
            + "to staging, or bypass with {} {}", FORCE, FORCE_REASON);
      }
      unreadable = "staging could not be read: " + oneLine(e.getMessage());
      evidence = new PromotionGate.StagingEvidence(Optional.empty(), List.of(), Optional.empty(), null, null);
    }
    Optional<DeploymentRecord> record = evidence.record();
    ImageRef image = record.filter(r -> r.image() != null)
        .map(r -> ImageRef.parse(r.image()).withContents(r.bundle().contents())).orElse(null);
    if (image == null && ask.force()) {
      image = ask.buildImage();
      if (image == null) {
        throw new DataHubException("forced promotion without a staging record needs the image to put on prod — pass {}",
            Fix.property("datahub.image", "<repository>[:tag]@sha256:<64 hex>"));
      }
    }
    if (image == null) {
      throw new DataHubException("promotion to prod refused: staging has no deployment record — run {} and the smoke "
          + "test first; there is no tested image to promote", Fix.goal("deploy-staging"));
    }
    HubRelease.DeployRequest probe = new HubRelease.DeployRequest(ask.chart(), ask.commonValues(), image,
        ask.sourceCommit(), Kind.PROMOTE, record.map(DeploymentRecord::id).orElse(null), null, ask.recover());
    ComposedValues values = prod.compose(probe);
    ReleaseBundle candidate = prod.bundle(probe, values);
    List<String> refusals = unreadable != null ? List.of(unreadable) : PromotionGate.refusals(evidence, candidate, log.wording());
    DeploymentRecord.Forced forced = null;
    if (!refusals.isEmpty()) {
      if (!ask.force()) {
        throw new DataHubException("promotion to prod refused: " + String.join("; ", refusals)
            + " — fix staging, or bypass with {} {}", FORCE, FORCE_REASON);
      }
      log.warn("FORCED promotion (" + ask.forceReason() + ") by " + HubRelease.operator() + " despite: "
          + String.join("; ", refusals));
    } else {
      log.info("Gate passed: staging record " + record.get().id() + " tested " + image.digest() + " with chart "
          + candidate.chart() + " (" + candidate.chartDigest() + ") and the same common values");
    }
    if (ask.force()) {
      forced = new DeploymentRecord.Forced(HubRelease.operator(), prod.now(), ask.forceReason(), refusals);
    }
    showWhatProdReceives(candidate);
    HubRelease.DeployRequest request = new HubRelease.DeployRequest(ask.chart(), ask.commonValues(), image,
        ask.sourceCommit(), Kind.PROMOTE, probe.promotedFrom(), forced, ask.recover());
    // Promoting an unchanged hub again (e.g. `mvn datahub:promote` over a whole reactor) must not redeploy prod.
    HubRelease.DeployResult result = prod.deployIfChanged(request, values, candidate, ask.force());
    DeploymentRecord deployed = result.record();
    if (record.isPresent() && unreadable == null) {
      markPromoted(record.get());
    }
    if (!result.deployed() && prod.records().whyNotPassed(deployed).isEmpty()
        && image.digest().equals(deployed.smoke().imageDigest())) {
      log.info("prod already runs " + image.digest() + " and passed its smoke test (record " + deployed.id()
          + "): nothing to promote");
      return deployed;
    }
    String hubUrl = prod.environment().hubUrl();
    if (smoke == null || hubUrl == null || hubUrl.isBlank()) {
      return deployed;
    }
    log.info("Smoke-testing prod at " + hubUrl);
    SmokeVerdict verdict = smoke.run("prod", hubUrl, image.reference());
    DeploymentRecord after = prod.recordSmoke(verdict, true, false, ask.sourceCommit());
    if (verdict.passed()) {
      return after;
    }
    Words outcome;
    Fix.Goal rollbackProd = Fix.goal("rollback", Fix.property("datahub.environment", "prod"));
    if (rollbackOnFailure) {
      try {
        DeploymentRecord back = prod.rollback(null, ask.sourceCommit(), false);
        outcome = Words.of("prod was returned to its previous good release (revision " + back.revision() + ", record "
            + back.id() + ")");
      } catch (DataHubException e) {
        outcome = Words.of("returning prod to its previous revision failed too: {} — inspect prod now ({}) and roll back "
            + "with {}", e.words(), Fix.goal("status"), rollbackProd);
      }
    } else {
      outcome = Words.of("prod stays on revision " + after.revision() + " ({}) — inspect it now; {} returns it to the "
          + "previous revision", Fix.property("datahub.promote.rollbackOnFailure", "false"), rollbackProd);
    }
    throw new DataHubException(Words.of("prod's smoke test at " + verdict.hubUrl() + " failed: " + after.smoke().summary()
        + "; recorded as failed in record " + after.id() + "; {}", outcome));
  }

  /** Before the deploy: what prod will receive, against the record prod runs now. */
  private void showWhatProdReceives(ReleaseBundle candidate) {
    Optional<DeploymentRecord> current = prod.records().latestSucceeded();
    BundleDiff diff = BundleDiff.between(current.map(DeploymentRecord::bundle).orElse(null), candidate);
    log.info("What prod receives" + current.map(r -> " (against prod's record " + r.id() + ")").orElse("")
        + (diff.isEmpty() ? ": nothing changes" : ":"));
    diff.lines().forEach(line -> log.info("  " + line));
  }

  private PromotionGate.StagingEvidence readStaging() {
    DeploymentRecords records = staging.records();
    Optional<DeploymentRecord> record = records.latest();
    Optional<StoredRelease> live = staging.store().latest();
    return new PromotionGate.StagingEvidence(record, record.map(r -> records.whyNotPassed(r, log.wording())).orElse(List.of()), live,
        live.map(staging::imageOf).orElse(null), live.map(staging::valuesHmac).orElse(null));
  }

  private void markPromoted(DeploymentRecord record) {
    try {
      staging.records().markPromoted(record.id());
    } catch (KubernetesClientException e) {
      log.warn("could not mark staging record " + record.id() + " as promoted (" + oneLine(e.getMessage())
          + "); pruning may remove it while prod's record still points at it");
    }
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.strip().replaceAll("\\s*\\n\\s*", " | ");
  }
}
