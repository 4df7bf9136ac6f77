package dev.datahub.release;

import dev.datahub.DataHubException;
import dev.datahub.Fix;
import dev.datahub.log.Redactor;
import dev.datahub.log.StepLog;
import dev.datahub.image.Digest;
import dev.datahub.release.DeploymentRecord.Kind;
import dev.datahub.release.DeploymentRecord.Result;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;

/**
 * The Helm release of one environment: deploy (lock → values → helm upgrade → rollout watch → record), rollback from
 * a stored revision, stuck-release detection and recovery. Plan → apply → record: every change ends in a
 * {@link DeploymentRecord} in the namespace.
 */
public final class HubRelease {

  private static final String HELM_VALUES = "helm-values";

  private final KubeTarget target;
  private final Redactor redactor;
  private final StepLog log;
  private final Clock clock;
  private final Path workDir;
  private int keepRecords = 10;
  private Duration poll = Duration.ofSeconds(2);
  private DeploymentRecords records;

  /** @param workDir where generated, non-secret files go (target/datahub/release) */
  public HubRelease(KubeTarget target, Redactor redactor, StepLog log, Clock clock, Path workDir) {
    this.target = target;
    this.redactor = redactor;
    this.log = log;
    this.clock = clock;
    this.workDir = workDir;
  }

  public HubRelease keepRecords(int keep) {
    this.keepRecords = keep;
    return this;
  }

  public HubRelease pollEvery(Duration interval) {
    this.poll = interval;
    return this;
  }

  public EnvironmentSpec environment() {
    return target.environment();
  }

  /** The cluster's Kubernetes version ({@code v1.33.2}), read through fabric8; null when the cluster does not say. */
  public String kubernetesVersion() {
    var info = target.client().getKubernetesVersion();
    return info == null ? null : info.getGitVersion();
  }

  public synchronized DeploymentRecords records() {
    if (records == null) {
      EnvironmentSpec env = target.environment();
      records = new DeploymentRecords(target.client(), env.namespace(), env.name(), keepRecords);
    }
    return records;
  }

  public HelmReleaseStore store() {
    EnvironmentSpec env = target.environment();
    return new HelmReleaseStore(target.client(), env.namespace(), env.release());
  }

  /** What to deploy and why; {@code promotedFrom}/{@code forced} only for promote. */
  public record DeployRequest(ChartSource chart, List<Path> commonValues, ImageRef image, String sourceCommit,
      Kind kind, String promotedFrom, DeploymentRecord.Forced forced, boolean recover) {}

  /** The bundle this request would deploy, with values composed (and secrets registered with the redactor). */
  public ReleaseBundle bundle(DeployRequest request, ComposedValues values) {
    return new ReleaseBundle(request.image().fullReference(), request.image().digest(), request.chart().name(),
        request.chart().version(), request.chart().digest(), values.commonValuesDigest(),
        values.environmentValuesDigest(), values.imageValuesDigest(), values.secretHmac(records().key()),
        List.copyOf(new java.util.TreeSet<>(values.secretPaths())), request.sourceCommit(), request.image().contents());
  }

  /** HMAC of the values Helm stored for a revision: what a record vouches for, checked against Helm's storage. */
  public String valuesHmac(StoredRelease release) {
    return records().key().hmac(HELM_VALUES, Values.canonical(release.config()));
  }

  public ComposedValues compose(DeployRequest request) {
    return new ValuesComposer(redactor).compose(request.commonValues(), target.environment(), request.image(), workDir);
  }

  public DeploymentRecord deploy(DeployRequest request) {
    ComposedValues values = compose(request);
    return deploy(request, values, bundle(request, values));
  }

  /** What {@link #deployIfChanged} did: the decision, and the record the environment now runs. */
  public record DeployResult(boolean deployed, DeployDecision decision, DeploymentRecord record) {}

  /**
   * Deploys only when the bundle differs from what the environment's latest succeeded record deployed or the live
   * release drifted from that record ({@link DeployDecision}); {@code force} deploys anyway. Decided before the lock is
   * taken: a skipped hub costs two reads of the namespace.
   */
  public DeployResult deployIfChanged(DeployRequest request, boolean force) {
    ComposedValues values = compose(request);
    return deployIfChanged(request, values, bundle(request, values), force);
  }

  /**
   * {@link #deployIfChanged(DeployRequest, boolean)} with the bundle already computed (and judged, by the prod gate):
   * the deploy uses exactly that bundle — a repository chart republished meanwhile is refused, not deployed.
   */
  public DeployResult deployIfChanged(DeployRequest request, ComposedValues values, ReleaseBundle bundle,
      boolean force) {
    EnvironmentSpec env = target.environment();
    DeployDecision decision = decide(bundle);
    if (force) {
      decision = decision.forced(log.wording());
    }
    if (!decision.deploy()) {
      log.info(decision.skipLine(env, log.wording()));
      return new DeployResult(false, decision, decision.current());
    }
    log.info(decision.deployLine(env));
    return new DeployResult(true, decision, deploy(request, values, bundle));
  }

  /** Compares a bundle with the environment's latest succeeded record of this release and the live release. */
  public DeployDecision decide(ReleaseBundle bundle) {
    EnvironmentSpec env = target.environment();
    Optional<DeploymentRecord> lastSucceeded = records().all().stream()
        .filter(r -> r.succeeded() && env.release().equals(r.release()) && records().verified(r)).findFirst();
    Optional<StoredRelease> live = store().latest();
    return DeployDecision.decide(bundle, lastSucceeded, live, live.map(this::imageOf).orElse(null),
        live.map(this::valuesHmac).orElse(null));
  }

  private DeploymentRecord deploy(DeployRequest request, ComposedValues values, ReleaseBundle bundle) {
    EnvironmentSpec env = target.environment();
    log.info("Deploying " + bundle.image() + " with chart " + request.chart().describe() + " to " + env.describe());
    try (DeployLock lock = lock(request.kind().text())) {
      handleStuck(request.recover(), request.sourceCommit());
      Optional<StoredRelease> previous = store().lastDeployed();
      lock.requireHeld();
      int revision;
      try {
        revision = HelmDeployer.upgrade(target, request.chart(), bundle.chartDigest(), values.orderedFiles(),
            request.kind().text() + " " + bundle.imageDigest() + " by datahub" + commitSuffix(request.sourceCommit()));
      } catch (DataHubException e) {
        writeRecord(request, bundle, 0, null, Result.FAILED, e.getMessage());
        throw e;
      }
      log.info("Helm release " + env.release() + " is at revision " + revision + "; waiting for the rollout");
      StoredRelease deployed = store().revision(revision).orElseThrow(() -> new DataHubException("Helm reported "
          + "revision " + revision + " but its release Secret is missing in " + env.namespace() + " — check RBAC"));
      try {
        new RolloutWatch(target.client(), env.namespace(), log, poll)
            .await(RolloutWatch.deploymentsIn(deployed.manifest()), env.timeout());
      } catch (DataHubException failure) {
        Result result = Result.FAILED;
        String message = failure.getMessage();
        if (env.atomic() && previous.isPresent()) {
          log.warn("Rollout failed; returning " + env.name() + " to revision " + previous.get().revision());
          int back = HelmDeployer.reapply(target, previous.get(), "rollback to " + previous.get().revision()
              + " after failed rollout of " + revision);
          result = Result.ROLLED_BACK;
          message = message + " (rolled back to revision " + previous.get().revision() + " as revision " + back + ")";
        }
        writeRecord(request, bundle, revision, null, result, message);
        throw new DataHubException(redactor.redact(env.name() + " deploy failed: " + message));
      }
      lock.requireHeld();
      DeploymentRecord record = writeRecord(request, bundle, revision, valuesHmac(deployed), Result.SUCCEEDED, null);
      log.info("Deployed revision " + revision + " to " + env.name() + "; record " + record.id());
      return record;
    }
  }

  /**
   * Records a smoke verdict in the environment's latest record ({@link DeploymentRecords#recordVerdict}) and, when the
   * test failed and {@code rollbackOnFailure}, returns the environment to its previous good revision.
   *
   * @param failResult on failure also mark the record's result failed (prod after a promotion)
   * @return the record with the verdict, or the rollback's record when the environment was rolled back
   */
  public DeploymentRecord recordSmoke(SmokeVerdict verdict, boolean failResult, boolean rollbackOnFailure,
      String sourceCommit) {
    EnvironmentSpec env = target.environment();
    DeploymentRecord record = records().recordVerdict(verdict.passed(), verdict.observedImageDigest(),
        verdict.hubUrl(), redactor.redact(verdict.summary()), now(), failResult);
    if (verdict.passed() || !rollbackOnFailure) {
      return record;
    }
    log.warn("Smoke test failed on " + env.name() + "; rolling back to the previous good revision");
    return rollback(null, sourceCommit, false);
  }

  /** Returns the environment to {@code revision}, or to the previous good revision when null. */
  public DeploymentRecord rollback(Integer revision, String sourceCommit, boolean recover) {
    EnvironmentSpec env = target.environment();
    try (DeployLock lock = lock("rollback")) {
      handleStuck(recover, sourceCommit);
      return rollbackLocked(revision, sourceCommit, Kind.ROLLBACK);
    }
  }

  private DeploymentRecord rollbackLocked(Integer revision, String sourceCommit, Kind kind) {
    EnvironmentSpec env = target.environment();
    List<StoredRelease> history = store().history();
    StoredRelease current = history.stream().filter(StoredRelease::deployed).findFirst().orElseThrow(() ->
        new DataHubException("release " + env.release() + " in " + env.namespace() + " has no deployed revision — "
            + "nothing to roll back; deploy first"));
    StoredRelease to;
    if (revision != null) {
      to = history.stream().filter(r -> r.revision() == revision).findFirst().orElseThrow(() -> new DataHubException(
          "release " + env.release() + " has no revision " + revision + " (Helm keeps " + history.stream()
              .map(r -> String.valueOf(r.revision())).toList() + ") — pick one of those"));
    } else {
      to = history.stream().filter(r -> r.revision() < current.revision() && "superseded".equals(r.status()))
          .findFirst().orElseThrow(() -> new DataHubException("release " + env.release() + " has no earlier good "
              + "revision than " + current.revision() + " — pass {}", Fix.property("datahub.revision", "N")));
    }
    log.info("Rolling " + env.name() + " back from revision " + current.revision() + " to revision " + to.revision()
        + " (" + to.chart() + ")");
    int newRevision = HelmDeployer.reapply(target, to, kind.text() + " to " + to.revision());
    StoredRelease applied = store().revision(newRevision).orElseThrow();
    new RolloutWatch(target.client(), env.namespace(), log, poll)
        .await(RolloutWatch.deploymentsIn(applied.manifest()), env.timeout());
    String image = imageOf(to);
    // The bundle of the revision returned to, as far as Helm's storage tells; the record that deployed it (if still
    // kept) gives the rest, so that plan keeps masking its secret paths.
    Optional<ReleaseBundle> original = records().all().stream()
        .filter(r -> r.revision() == to.revision() && r.bundle() != null && records().verified(r))
        .map(DeploymentRecord::bundle).findFirst();
    ReleaseBundle bundle = original.filter(b -> java.util.Objects.equals(b.imageDigest(), Digest.in(image)))
        .orElse(new ReleaseBundle(image, Digest.in(image), to.chartName(), to.chartVersion(), null, null, null, null,
            null, List.of(), sourceCommit));
    DeploymentRecord record = records().write(new DeploymentRecord(null, 0, env.name(), kind, env.release(),
        newRevision, bundle, valuesHmac(applied), now(), Result.SUCCEEDED, "re-applied revision " + to.revision(),
        null, null, null, null));
    log.info("Rolled back: revision " + newRevision + " runs what revision " + to.revision() + " ran; record "
        + record.id());
    return record;
  }

  /**
   * A release whose latest revision is pending-install/-upgrade/-rollback (an interrupted --wait) blocks every Helm
   * upgrade. Without {@code recover} this explains and fails; with it, the pending revision is marked failed and the
   * last deployed revision is re-applied.
   */
  private void handleStuck(boolean recover, String sourceCommit) {
    EnvironmentSpec env = target.environment();
    Optional<StoredRelease> latest = store().latest();
    if (latest.isEmpty() || !latest.get().pending()) {
      return;
    }
    StoredRelease stuck = latest.get();
    Optional<StoredRelease> good = store().lastDeployed();
    if (!recover) {
      throw new DataHubException("release " + env.release() + " in " + env.namespace() + " is stuck in "
          + stuck.status() + " at revision " + stuck.revision() + " (an interrupted Helm operation) and blocks every "
          + "upgrade — rerun with {} to mark it failed and return to "
          + good.map(g -> "revision " + g.revision()).orElse("the state before it"), Fix.property("datahub.recover", "true"));
    }
    log.warn("Recovering " + env.release() + ": revision " + stuck.revision() + " is " + stuck.status()
        + "; marking it failed");
    store().markFailed(stuck, "interrupted " + stuck.status() + ", marked failed by datahub recovery");
    if (good.isPresent()) {
      rollbackLocked(good.get().revision(), sourceCommit, Kind.RECOVER);
    }
  }

  /** Whether the latest Helm revision is stuck, for status. */
  public Optional<StoredRelease> stuckRevision() {
    return store().latest().filter(StoredRelease::pending);
  }

  /** {@code user@host} of this run, for the lock and for a forced promotion's record. */
  public static String operator() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "unknown-host";
    }
    return System.getProperty("user.name") + "@" + host;
  }

  /** The run's clock, as recorded (shown only; records are ordered by the API server's data, never by it). */
  public String now() {
    return DateTimeFormatter.ISO_INSTANT.format(Instant.now(clock));
  }

  private DeployLock lock(String what) {
    EnvironmentSpec env = target.environment();
    return DeployLock.acquire(target.client(), env.namespace(), what + " " + env.name(),
        DeployLock.DEFAULT_EXPIRY, clock, log);
  }

  private DeploymentRecord writeRecord(DeployRequest request, ReleaseBundle bundle, int revision,
      String liveValuesHmac, Result result, String failure) {
    EnvironmentSpec env = target.environment();
    return records().write(new DeploymentRecord(null, 0, env.name(), request.kind(), env.release(), revision, bundle,
        liveValuesHmac, now(), result, failure == null ? null : redactor.redact(failure), null,
        request.promotedFrom(), request.forced(), null));
  }

  /** The image a stored revision runs, read from its values at the environment's image path. */
  public String imageOf(StoredRelease release) {
    Object name = Values.at(release.config(), environment().imageValuesPath() + ".name");
    Object tag = Values.at(release.config(), environment().imageValuesPath() + ".tag");
    if (name == null || tag == null) {
      return null;
    }
    return name + ":" + tag;
  }

  private static String commitSuffix(String commit) {
    return commit == null ? "" : " from " + commit;
  }
}
