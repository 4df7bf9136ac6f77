package dev.datahub.status;

import dev.datahub.DataHubException;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.release.BundleDiff;
import dev.datahub.release.DeployDecision;
import dev.datahub.release.DeploymentRecord;
import dev.datahub.release.EnvironmentStatus;
import dev.datahub.release.HubRelease;
import dev.datahub.release.ReleaseBundle;
import dev.datahub.release.StoredRelease;
import dev.datahub.smoke.SmokeReports;
import dev.datahub.smoke.SmokeResult;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads one hub's status from its environments — the live Helm release and the deployment records, read-only (no lock,
 * no key created) — and prints the per-environment lines {@code status} always printed. Every text that came from a
 * record passes through the redactor.
 */
public final class HubStatusReader {

  public static final List<String> ENVIRONMENTS = List.of("staging", "prod");

  private final Redactor redactor;
  private final StepLog log;

  public HubStatusReader(Redactor redactor, StepLog log) {
    this.redactor = redactor;
    this.log = redactor.wrap(log);
  }

  /**
   * @param open opens an environment's release (throws when it is not configured or not reachable)
   * @param hubOutputDir the hub's {@code target/datahub}, where smoke-test left its reports
   */
  public HubStatus read(String hub, Function<String, HubRelease> open, Path hubOutputDir) {
    Map<String, EnvironmentStatus> live = new LinkedHashMap<>();
    Map<String, List<DeploymentRecord>> recordsOf = new LinkedHashMap<>();
    List<EnvironmentState> states = new ArrayList<>();
    TimelineEvent lastPromotion = null;
    List<String> promotionDiff = List.of();
    for (String name : ENVIRONMENTS) {
      try {
        HubRelease release = open.apply(name);
        EnvironmentStatus status = EnvironmentStatus.of(release);
        live.put(name, status);
        status.lines(log.wording()).forEach(log::info);
        List<DeploymentRecord> records = release.records().all();
        recordsOf.put(name, records);
        boolean keyed = release.records().existingKey().isPresent();
        states.add(state(release, status, records, keyed, smokeReport(hubOutputDir, name)));
        if ("prod".equals(name)) {
          Optional<DeploymentRecord> promote = records.stream()
              .filter(r -> r.kind() == DeploymentRecord.Kind.PROMOTE).findFirst();
          if (promote.isPresent()) {
            lastPromotion = event(promote.get(), keyed && release.records().verified(promote.get()));
            promotionDiff = BundleDiff.between(before(records, promote.get()), promote.get().bundle()).lines()
                .stream().map(redactor::redact).toList();
          }
        }
      } catch (DataHubException | KubernetesClientException e) {
        String why = redactor.redact(oneLine(e instanceof DataHubException d ? d.message(log.wording()) : e.getMessage()));
        log.warn(name + ": unavailable — " + why);
        states.add(EnvironmentState.unavailable(name, why));
      }
    }
    Boolean behind = null;
    if (live.containsKey("staging") && live.containsKey("prod")) {
      behind = EnvironmentStatus.behind(live.get("prod"), live.get("staging"));
      log.info(behind ? "prod is BEHIND staging (different image digest or chart)" : "prod runs what staging runs");
      BundleDiff.ofPromotion(recordsOf.get("staging"), recordsOf.get("prod")).ifPresent(diff -> {
        log.info("staging vs prod (what a promotion would change):" + (diff.isEmpty() ? " nothing" : ""));
        diff.lines().forEach(line -> log.info("  " + redactor.redact(line)));
      });
    }
    return new HubStatus(hub, states, behind, lastPromotion, promotionDiff);
  }

  /** What prod ran before a promotion: the newest older record that succeeded. */
  private static ReleaseBundle before(List<DeploymentRecord> newestFirst, DeploymentRecord promote) {
    return newestFirst.stream().filter(r -> r.sequence() < promote.sequence() && r.succeeded())
        .map(DeploymentRecord::bundle).filter(Objects::nonNull).findFirst().orElse(null);
  }

  private EnvironmentState state(HubRelease release, EnvironmentStatus status, List<DeploymentRecord> records,
      boolean keyed, Path smokeReport) {
    var env = release.environment();
    Optional<StoredRelease> live = release.store().latest();
    List<TimelineEvent> timeline = new ArrayList<>();
    Optional<DeploymentRecord> lastSucceeded = Optional.empty();
    for (DeploymentRecord r : records) {
      boolean verified = keyed && release.records().verified(r);
      if (lastSucceeded.isEmpty() && verified && r.succeeded() && env.release().equals(r.release())) {
        lastSucceeded = Optional.of(r);
      }
      if (r.smoke() != null) {
        timeline.add(smokeEvent(r, verified));
      }
      timeline.add(event(r, verified));
    }
    List<String> drift = List.of();
    if (lastSucceeded.isPresent() && lastSucceeded.get().bundle() != null) {
      // the record's own bundle against itself: whatever the decision still finds is drift of the live release
      drift = DeployDecision.decide(lastSucceeded.get().bundle(), lastSucceeded, live,
          live.map(release::imageOf).orElse(null), live.map(release::valuesHmac).orElse(null)).changes().stream()
          .filter(c -> c.startsWith("drift: ")).map(c -> redactor.redact(c.substring("drift: ".length()))).toList();
    }
    DeploymentRecord last = records.isEmpty() ? null : records.get(0);
    // the newest verdict, also when a later record (a rollback after a failed prod test) has none of its own
    DeploymentRecord.SmokeOutcome smoke = records.stream().map(DeploymentRecord::smoke).filter(Objects::nonNull)
        .findFirst().orElse(null);
    return new EnvironmentState(env.name(), env.namespace(), env.release(), null, status.revision(),
        status.state(), status.imageDigest(), status.chart(), last == null ? null : last.id(),
        last == null ? null : last.kind().text() + " " + last.result().text(), last != null && last.forced() != null,
        smoke == null ? null : smoke.status().text(), smoke == null ? null : smoke.time(),
        smoke == null ? null : redactor.redact(smoke.summary()), smokeReport == null ? null : smokeReport.toString(),
        drift, timeline);
  }

  private TimelineEvent event(DeploymentRecord r, boolean verified) {
    String detail = r.failure() != null ? r.failure()
        : r.promotedFrom() != null ? "from staging record " + r.promotedFrom() : null;
    return new TimelineEvent(r.time(), r.environment(), r.kind().text(), r.result().text(), r.id(), r.revision(),
        r.imageDigest(), r.chartName() == null ? null : r.chartName() + " " + r.chartVersion(),
        redactor.redact(detail), r.forced() == null ? null : redactor.redact(r.forced().by()),
        r.forced() == null ? null : redactor.redact(r.forced().reason()), verified);
  }

  private TimelineEvent smokeEvent(DeploymentRecord r, boolean verified) {
    DeploymentRecord.SmokeOutcome s = r.smoke();
    return new TimelineEvent(s.time(), r.environment(), "smoke", s.status().text(), r.id(), r.revision(),
        s.imageDigest(), null, redactor.redact(s.summary() + (s.hubUrl() == null ? "" : " (" + s.hubUrl() + ")")),
        null, null, verified);
  }

  /** The smoke-test report this build left beside the hub, when it is this environment's. */
  private static Path smokeReport(Path hubOutputDir, String environment) {
    if (hubOutputDir == null) {
      return null;
    }
    Path dir = hubOutputDir.resolve("smoke-test");
    Path markdown = dir.resolve(SmokeReports.MARKDOWN_FILE);
    if (!Files.isRegularFile(markdown) || !Files.isRegularFile(dir.resolve(SmokeResult.FILE_NAME))) {
      return null;
    }
    try {
      return environment.equals(SmokeResult.readFrom(dir).environment()) ? markdown : null;
    } catch (DataHubException e) {
      return null;
    }
  }

  private static String oneLine(String message) {
    return message == null ? "" : message.lines().findFirst().orElse("");
  }
}
